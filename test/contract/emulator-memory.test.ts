import { createHash } from "node:crypto";
import { errorOf, useEmulator } from "../../testkit/emulator-http";

const t = useEmulator();
const { api } = t;

const sha = (s: string) => createHash("sha256").update(s).digest("hex");
const badRequest = (param: string) => ({ status: 400, type: "invalid_request_error", param });

describe("memory stores", () => {
  test("store lifecycle and counters", async () => {
    expect(errorOf(await api("POST", "/memory_stores", { name: "s" }))).toMatchObject({ ...badRequest("description"), message: "Field 'description' is required." });
    expect(errorOf(await api("POST", "/memory_stores", { name: "s", description: "" }))).toMatchObject(badRequest("description"));
    expect(errorOf(await api("POST", "/memory_stores", { description: "d" }))).toMatchObject(badRequest("name"));
    const create = await api("POST", "/memory_stores", { name: "Notes", description: "Team notes", metadata: { a: "1" } });
    expect(create.status).toBe(201);
    const store = create.body;
    expect(store).toEqual({
      type: "memory_store",
      id: expect.stringMatching(/^memstore_[0-9a-f]{32}$/),
      name: "Notes",
      description: "Team notes",
      status: "active",
      entry_count: 0,
      total_size: 0,
      metadata: { a: "1" },
      archived_at: null,
      created_at: expect.any(String),
      updated_at: store.created_at,
    });
    await api("POST", "/memory_stores", { name: "other", description: "x" });
    expect((await api("GET", "/memory_stores?name=no")).body.data.map((s: { id: string }) => s.id)).toEqual([store.id]);

    const updated = await api("POST", `/memory_stores/${store.id}`, { name: "Notes2", metadata: { a: null, b: "2" } });
    expect(updated.body).toMatchObject({ name: "Notes2", description: "Team notes", metadata: { b: "2" } });

    await api("POST", `/memory_stores/${store.id}/memories`, { path: "a.md", content: "hello" });
    await api("POST", `/memory_stores/${store.id}/memories`, { path: "b/c.md", content: "héllo" });
    expect((await api("GET", `/memory_stores/${store.id}`)).body).toMatchObject({ entry_count: 2, total_size: 11 });

    expect(errorOf(await api("PUT", `/memory_stores/${store.id}`, { description: "" }))).toMatchObject(badRequest("description"));
    const archived = await api("POST", `/memory_stores/${store.id}/archive`);
    expect(archived.body).toMatchObject({ status: "archived", archived_at: expect.any(String), entry_count: 2 });
    expect(errorOf(await api("POST", `/memory_stores/${store.id}/archive`))).toMatchObject({ status: 409, type: "conflict_error" });
    expect(errorOf(await api("POST", `/memory_stores/${store.id}/memories`, { path: "z", content: "z" }))).toMatchObject({ status: 409, type: "conflict_error" });
    expect(errorOf(await api("PUT", `/memory_stores/${store.id}`, { name: "x" }))).toMatchObject({ status: 409, type: "conflict_error" });
    const [firstEntry] = (await api("GET", `/memory_stores/${store.id}/memories`)).body.data;
    expect(errorOf(await api("PUT", `/memory_stores/${store.id}/memories/${firstEntry.id}`, { content: "x" }))).toMatchObject({ status: 409 });
    expect(errorOf(await api("DELETE", `/memory_stores/${store.id}/memories/${firstEntry.id}`))).toMatchObject({ status: 409 });
    expect((await api("GET", "/memory_stores")).body.data.map((s: { id: string }) => s.id)).not.toContain(store.id);
    expect((await api("GET", `/memory_stores/${store.id}/memories`)).body.data).toHaveLength(2);

    expect((await api("DELETE", `/memory_stores/${store.id}`)).status).toBe(204);
    expect(errorOf(await api("GET", `/memory_stores/${store.id}`))).toMatchObject({
      status: 404,
      message: `MemoryStore '${store.id}' was not found.`,
    });
    const state = (await t.admin("GET", "/state")).body;
    expect(Object.values(state.memories).filter((m: any) => m.store_id === store.id)).toEqual([]);
    expect(Object.values(state.memoryVersions).filter((m: any) => m.store_id === store.id)).toEqual([]);
  });

  test("memory lifecycle, OCC and versions", async () => {
    const { body: store } = await api("POST", "/memory_stores", { name: "m", description: "d" });
    const base = `/memory_stores/${store.id}`;
    const create = await api("POST", `${base}/memories`, { path: "notes/a.md", content: "v1" });
    expect(create.status).toBe(201);
    const mem = create.body;
    expect(mem).toEqual({
      type: "memory",
      id: expect.stringMatching(/^mem_[0-9a-f]{32}$/),
      store_id: store.id,
      path: "notes/a.md",
      content: "v1",
      size: 2,
      content_sha256: sha("v1"),
      version: 1,
      metadata: {},
      created_at: expect.any(String),
      updated_at: mem.created_at,
    });
    expect(errorOf(await api("POST", `${base}/memories`, { path: "notes/a.md", content: "dup" }))).toMatchObject({ status: 409, type: "conflict_error" });
    expect(errorOf(await api("POST", `${base}/memories`, { path: "/abs.md", content: "x" }))).toMatchObject(badRequest("path"));
    expect(errorOf(await api("POST", `${base}/memories`, { content: "x" }))).toMatchObject(badRequest("path"));
    expect(errorOf(await api("POST", `${base}/memories`, { path: "x" }))).toMatchObject(badRequest("content"));
    expect(errorOf(await api("POST", `${base}/memories`, { path: "x", content: "x".repeat(102401) }))).toMatchObject(badRequest("content"));
    await api("POST", `${base}/memories`, { path: "other.md", content: "o" });

    const list = await api("GET", `${base}/memories?path_prefix=notes/`);
    expect(list.body.data).toHaveLength(1);
    expect(list.body.data[0]).not.toHaveProperty("content");
    expect((await api("GET", `${base}/memories/${mem.id}`)).body.content).toBe("v1");

    const put = await api("PUT", `${base}/memories/${mem.id}`, { content: "v2", version: 1 });
    expect(put.body).toMatchObject({ content: "v2", version: 2, size: 2, content_sha256: sha("v2"), created_at: mem.created_at });
    expect(errorOf(await api("PUT", `${base}/memories/${mem.id}`, { content: "v3", version: 1 }))).toMatchObject({ status: 409, type: "conflict_error" });
    expect((await api("PATCH", `${base}/memories/${mem.id}`, { content: "v3" })).body.version).toBe(3);
    expect((await api("POST", `${base}/memories/${mem.id}`, { content: "v4", version: 3 })).body.version).toBe(4);
    expect(errorOf(await api("PUT", `${base}/memories/${mem.id}`, { version: 4 }))).toMatchObject(badRequest("content"));
    expect(errorOf(await api("PUT", `${base}/memories/${mem.id}`, { content: "x", path: "moved.md" }))).toMatchObject(badRequest("path"));

    expect((await api("DELETE", `${base}/memories/${mem.id}`)).status).toBe(204);
    expect(errorOf(await api("GET", `${base}/memories/${mem.id}`))).toMatchObject({ status: 404, type: "not_found_error" });

    const versions = await api("GET", `${base}/versions?entry_id=${mem.id}`);
    expect(versions.body.data.map((x: { action: string }) => x.action)).toEqual(["deleted", "updated", "updated", "updated", "created"]);
    expect(versions.body.data[0]).toMatchObject({ size: 0, content_sha256: "", entry_path: "notes/a.md", redacted: false });
    expect(versions.body.data[0]).not.toHaveProperty("content");
    const created = versions.body.data[4];
    const alias = await api("GET", `${base}/memory_versions/${created.id}`);
    expect(alias.body).toMatchObject({ type: "memory_version", id: created.id, content: "v1", action: "created" });

    const redacted = await api("POST", `${base}/versions/${created.id}/redact`);
    expect(redacted.body).toMatchObject({ redacted: true, redacted_at: expect.any(String), size: 2, content_sha256: sha("v1") });
    expect(redacted.body).not.toHaveProperty("content");
    expect((await api("GET", `${base}/versions/${created.id}`)).body).not.toHaveProperty("content");
    expect((await api("GET", `${base}/memory_versions`)).body.data).toHaveLength(6);
    expect(errorOf(await api("GET", `${base}/versions/memver_nope`))).toMatchObject({ status: 404, type: "not_found_error" });
  });
});

describe("memory paths", () => {
  const RULE = "Field 'path' must be a relative path of non-empty segments, without '.' or '..' segments, backslashes or control characters.";
  const hostile = ["../../etc/passwd", "..", "./x", "a//b", "a/\u0000b", "a\nb", "a\\b", "..\\x", "", "   ", "a/", "a/./b", "notes/../../x", "/abs"];

  test("hostile paths are refused on create", async () => {
    const { body: store } = await api("POST", "/memory_stores", { name: "paths", description: "d" });
    for (const path of hostile) {
      const res = await api("POST", `/memory_stores/${store.id}/memories`, { path, content: "x" });
      expect(errorOf(res)).toMatchObject(badRequest("path"));
    }
    for (const path of hostile.filter((p) => p !== "/abs" && p.trim() !== "")) {
      expect(errorOf(await api("POST", `/memory_stores/${store.id}/memories`, { path, content: "x" })).message).toBe(RULE);
    }
    expect((await api("GET", `/memory_stores/${store.id}/memories`)).body.data).toEqual([]);
    for (const path of ["notes/meeting-2026-05-18.md", "config.yaml", ".hidden/a..b", "a b/c"]) {
      expect((await api("POST", `/memory_stores/${store.id}/memories`, { path, content: "ok" })).status).toBe(201);
    }
  });

  test("hostile paths are refused on update (no move), with the same rule", async () => {
    const { body: store } = await api("POST", "/memory_stores", { name: "paths2", description: "d" });
    const { body: mem } = await api("POST", `/memory_stores/${store.id}/memories`, { path: "a/b.md", content: "x" });
    for (const method of ["PUT", "PATCH"]) {
      for (const path of ["../../etc/passwd", "a//b", "a\nb", "..", "a\\b"]) {
        const res = await api(method, `/memory_stores/${store.id}/memories/${mem.id}`, { path, content: "y" });
        expect(errorOf(res)).toMatchObject({ ...badRequest("path"), message: RULE });
      }
    }
    expect((await api("GET", `/memory_stores/${store.id}/memories/${mem.id}`)).body).toMatchObject({ path: "a/b.md", content: "x", version: 1 });
  });
});
