import { DownloadError, NotFoundError, PermissionDeniedError } from "../../sdk";
import { expectError, useEmulator } from "./client-harness";

const h = useEmulator();
const bytes = Buffer.from("hello, files\n");

test("upload (purpose, metadata, custom name), get, list, download via the presigned URL, delete", async () => {
  const c = h.client();
  const f = await c.files.upload({ file: bytes, filename: "orig.txt", name: "report.txt", purpose: "tool_output", metadata: { k: "v" } });
  expect(f).toMatchObject({ id: expect.stringMatching(/^file_/), filename: "report.txt", size_bytes: bytes.length, mime_type: "text/plain", purpose: "tool_output", metadata: { k: "v" } });
  expect(f.created_at).toMatch(/:\d\dZ$/); // second precision
  expect((await c.files.get(f.id)).filename).toBe("report.txt");
  const plain = await c.files.upload({ file: Buffer.from("x"), filename: "note.md" });
  expect(plain.purpose).toBe("user_upload");
  expect((await c.files.list({ purpose: "tool_output" }).toArray()).map((x) => x.id)).toEqual([f.id]);
  expect((await c.files.list().toArray()).map((x) => x.id).slice(0, 2)).toEqual([plain.id, f.id]);

  const link = await c.files.contentUrl(f.id);
  expect(link.url).toMatch(/\/_presigned\/files\//);
  expect(link.expires_at).toMatch(/Z$/);
  // The presigned host refuses any request that carries an Authorization header (as S3 does),
  // so a successful download proves the API token was not forwarded.
  const withToken = await fetch(link.url, { headers: { authorization: `Bearer ${h.emu.token}` } });
  expect(withToken.status).toBe(400);
  const got = await c.files.download(f.id);
  expect(got.bytes.equals(bytes)).toBe(true);
  expect(got.contentType).toBe("text/plain");

  await expectError(() => c.files.contentUrl(plain.id), PermissionDeniedError, { status: 403, type: "permission_error" });
  await c.files.delete(f.id);
  await expectError(() => c.files.get(f.id), NotFoundError, { status: 404 });
  // A URL handed out before the delete no longer serves the bytes; the error hides the signature.
  const err = await import("../../sdk/presigned").then((m) => m.downloadPresigned(link.url, { timeoutMs: 5000, maxBytes: 1024 })).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(DownloadError);
  expect((err as Error).message).not.toContain("signature=");
});

test("a delivered artifact is downloadable", async () => {
  const c = h.client();
  const agent = await c.agents.create({ name: "a", model: "ultimate" });
  const env = await c.environments.create({ name: "e", config: { type: "cloud" } });
  const s = await c.sessions.create({ agent: agent.id, environment_id: env.id });
  await c.sessions.events.send(s.id, [{ type: "user.message", content: [{ type: "text", text: "[[artifact:result.md]]" }] }]);
  const delivered = (await c.sessions.events.list(s.id, { types: ["agent.artifact_delivered"] }).toArray())[0] as { file_id: string };
  const file = await c.files.get(delivered.file_id);
  expect(file).toMatchObject({ filename: "result.md", downloadable: true });
  expect((await c.files.download(file.id)).bytes.toString()).toMatch(/^\[qoder-emulator\] artifact/);
});
