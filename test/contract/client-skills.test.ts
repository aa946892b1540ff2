import { createZip } from "../../emulator";
import { BadRequestError, NotFoundError } from "../../sdk";
import { expectError, useEmulator } from "./client-harness";

const h = useEmulator();
const skillZip = (name: string, body = "Do the thing.") =>
  createZip({ [`${name}/SKILL.md`]: `---\nname: ${name}\ndescription: ${name} skill\nversion: 1.0.0\n---\n${body}\n` });

test("skill lifecycle: upload, get (with content), list, update, versions, delete", async () => {
  const c = h.client();
  const zip = skillZip("code-review");
  const s = await c.skills.create({ file: zip, metadata: { owner: "me" } });
  expect(s).toMatchObject({ type: "skill", name: "code-review", description: "code-review skill", skill_type: "custom", version: 1, content_size: zip.length, metadata: { owner: "me" } });
  expect(s.id).toMatch(/^skill_[0-9a-f]{32}$/);
  const withContent = await c.skills.get(s.id, { includeContent: true });
  expect(withContent.content_encoding).toBe("base64");
  expect(Buffer.from(withContent.content!, "base64").equals(zip)).toBe(true);
  expect((await c.skills.get(s.id)).content).toBeUndefined();
  expect((await c.skills.list().toArray()).map((x) => x.id)).toContain(s.id);

  // Form fields win over frontmatter.
  const named = await c.skills.create({ file: zip, filename: "x.zip", name: "renamed", description: "form", type: "prebuilt" });
  expect(named).toMatchObject({ name: "renamed", description: "form", skill_type: "prebuilt" });

  const meta = await c.skills.update(s.id, { metadata: { owner: "you" }, description: "d2" });
  expect(meta).toMatchObject({ version: 1, metadata: { owner: "you" }, description: "d2" });
  const next = await c.skills.update(s.id, { content: skillZip("code-review", "v2").toString("base64"), content_encoding: "base64" });
  expect(next.version).toBe(2);
  const versions = await c.skills.listVersions(s.id);
  expect(versions.map((v) => String(v.version)).sort()).toEqual(["1", "2"]);

  await expect(c.skills.delete(s.id)).resolves.toBeUndefined();
  await expectError(() => c.skills.get(s.id), NotFoundError, { status: 404, type: "not_found_error" });
  await expectError(() => c.skills.listVersions(s.id), NotFoundError, { status: 404 });
});

describe("skill errors", () => {
  test("a non-zip upload → 400 param file", async () => {
    await expectError(() => h.client().skills.create({ file: Buffer.from("not a zip") }), BadRequestError, { status: 400, type: "invalid_request_error", param: "file" });
  });

  test("a zip without SKILL.md → 400 param file", async () => {
    await expectError(() => h.client().skills.create({ file: createZip({ "README.md": "x" }) }), BadRequestError, { status: 400, param: "file" });
  });

  test("a bad name on update → 400 param name; a bad encoding → 400 param content_encoding", async () => {
    const c = h.client();
    const s = await c.skills.create({ file: skillZip("ok-skill") });
    await expectError(() => c.skills.update(s.id, { name: "Bad Name" }), BadRequestError, { status: 400, param: "name" });
    await expectError(() => c.skills.update(s.id, { content: "x", content_encoding: "hex" as never }), BadRequestError, { status: 400, param: "content_encoding" });
  });

  test("unknown skill → 404 on update and delete", async () => {
    const c = h.client();
    await expectError(() => c.skills.update("skill_missing", { name: "x" }), NotFoundError, { status: 404, type: "not_found_error" });
    await expectError(() => c.skills.delete("skill_missing"), NotFoundError, { status: 404 });
  });
});
