import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmulator } from "../../emulator";
import { apiClient, errorOf, useEmulator } from "../../testkit/emulator-http";

const dataFile = join(mkdtempSync(join(tmpdir(), "qoder-emu-files-")), "state.json");
const t = useEmulator({ dataFile });
const { api } = t;

function form(fields: Record<string, string>, file?: { name: string; text: string }): FormData {
  const fd = new FormData();
  if (file) fd.append("file", new Blob([file.text]), file.name);
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  return fd;
}

test("upload: 201 with both id keys, second-precision times, server-detected mime type", async () => {
  const res = await api("POST", "/files", form({ purpose: "tool_output", metadata: '{"a":"1"}' }, { name: "data.csv", text: "a,b\n" }));
  expect(res.status).toBe(201);
  expect(res.body).toEqual({
    id: expect.stringMatching(/^file_[0-9a-f]{32}$/),
    file_id: res.body.id,
    type: "file",
    filename: "data.csv",
    size_bytes: 4,
    mime_type: "text/csv",
    purpose: "tool_output",
    status: "ready",
    downloadable: true,
    scope: null,
    metadata: { a: "1" },
    created_at: expect.stringMatching(/T\d\d:\d\d:\d\dZ$/),
    updated_at: expect.stringMatching(/Z$/),
  });
  expect((await api("GET", `/files/${res.body.id}`)).body).toEqual(res.body);
});

test("upload errors: no file, bad purpose, bad or oversized metadata, not multipart", async () => {
  const file = { name: "x.txt", text: "x" };
  expect(errorOf(await api("POST", "/files", form({ purpose: "user_upload" })))).toMatchObject({ status: 400, param: "file", message: "Field 'file' is required." });
  expect(errorOf(await api("POST", "/files", form({ purpose: "nope" }, file)))).toMatchObject({ status: 400, param: "purpose" });
  expect(errorOf(await api("POST", "/files", form({ metadata: "{bad" }, file)))).toMatchObject({ status: 400, param: "metadata" });
  expect(errorOf(await api("POST", "/files", form({ metadata: JSON.stringify({ k: "v".repeat(9000) }) }, file)))).toMatchObject({ status: 400, param: "metadata" });
  expect(errorOf(await api("POST", "/files", { file: "x" }))).toMatchObject({ status: 400, type: "invalid_request_error" });
});

test("content: 302 to a presigned URL with {url, expires_at}; the storage host checks signature and refuses a token", async () => {
  const up = (await api("POST", "/files", form({ purpose: "skill_output", name: "custom.json" }, { name: "orig.bin", text: '{"ok":true}' }))).body;
  expect(up).toMatchObject({ filename: "custom.json", mime_type: "application/json" });
  const res = await fetch(`${t.emu.baseUrl}/files/${up.id}/content`, { headers: { authorization: `Bearer ${t.emu.token}` }, redirect: "manual" });
  expect(res.status).toBe(302);
  const body = (await res.json()) as { url: string; expires_at: string };
  expect(res.headers.get("location")).toBe(body.url);
  expect(body.expires_at).toMatch(/Z$/);
  const ok = await fetch(body.url);
  expect(ok.status).toBe(200);
  expect(await ok.text()).toBe('{"ok":true}');
  expect((await fetch(body.url, { headers: { authorization: "Bearer x" } })).status).toBe(400);
  // Flip the first hex digit to another one (replacing it by a fixed "0" was a no-op 1 time in 16).
  const tampered = body.url.replace(/signature=(\w)/, (_m: string, c: string) => `signature=${c === "0" ? "1" : "0"}`);
  expect((await fetch(tampered)).status).toBe(403);

  const upload = (await api("POST", "/files", form({}, { name: "u.txt", text: "u" }))).body;
  expect(upload).toMatchObject({ purpose: "user_upload", downloadable: false });
  expect(errorOf(await api("GET", `/files/${upload.id}/content`))).toMatchObject({ status: 403, type: "permission_error" });
});

test("list newest first with purpose filter; delete 204 then 404", async () => {
  const a = (await api("POST", "/files", form({ purpose: "session_resource" }, { name: "a.txt", text: "a" }))).body;
  const b = (await api("POST", "/files", form({ purpose: "session_resource" }, { name: "b.txt", text: "b" }))).body;
  const list = (await api("GET", "/files?purpose=session_resource")).body;
  expect(list.data.map((f: { id: string }) => f.id)).toEqual([b.id, a.id]);
  expect(errorOf(await api("GET", "/files?purpose=bogus"))).toMatchObject({ status: 400, param: "purpose" });
  expect((await api("DELETE", `/files/${a.id}`)).status).toBe(204);
  expect(errorOf(await api("GET", `/files/${a.id}`))).toEqual({ status: 404, type: "not_found_error", message: `File '${a.id}' was not found.` });
});

test("sessions, events and files survive a restart with --data", async () => {
  const agent = (await api("POST", "/agents", { name: "d", model: "ultimate", tools: [{ type: "agent_toolset_20260401" }] })).body;
  const env = (await api("GET", "/environments")).body.data[0];
  const s = (await api("POST", "/sessions", { agent: agent.id, environment_id: env.id })).body;
  await api("POST", `/sessions/${s.id}/events`, { events: [{ type: "user.message", content: [{ type: "text", text: "[[confirm:Read]]" }] }] });
  const before = (await api("GET", `/sessions/${s.id}/events?limit=100`)).body.data;
  const file = (await api("POST", "/files", form({ purpose: "tool_output" }, { name: "keep.txt", text: "kept" }))).body;
  await t.emu.close();
  const again = await startEmulator({ port: 0, dataFile });
  try {
    const api2 = apiClient(again.baseUrl, again.token);
    expect((await api2("GET", `/sessions/${s.id}/events?limit=100`)).body.data).toEqual(before);
    expect((await api2("GET", `/files/${file.id}`)).body).toEqual(file);
    // The pending confirmation survived too.
    const use = before.find((e: { type: string }) => e.type === "agent.tool_use");
    const res = await api2("POST", `/sessions/${s.id}/events`, { events: [{ type: "user.tool_confirmation", tool_use_id: use.id, result: "allow" }] });
    expect(res.status).toBe(200);
  } finally {
    await again.close();
    t.emu = await startEmulator({ port: t.emu.port, dataFile }); // so the fixture's afterAll has something to close
  }
});
