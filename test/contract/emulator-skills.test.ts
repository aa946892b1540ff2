import { createHash } from "node:crypto";
import { createZip } from "../../emulator";
import { errorOf, useEmulator } from "../../testkit/emulator-http";

const t = useEmulator();
const { api } = t;

const skillMd = (name: string, description: string) => `---\nname: ${name}\ndescription: "${description}"\nversion: 1.0.0\n---\n# Body\n`;
const zip = createZip({ "review/SKILL.md": skillMd("code-review", "Reviews code"), "review/templates/a.txt": "x" });

function form(fields: Record<string, string>, file?: { bytes: Buffer; name: string }): FormData {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  if (file) fd.append("file", new Blob([new Uint8Array(file.bytes)]), file.name);
  return fd;
}

const badRequest = (message: string, param?: string) => ({ status: 400, type: "invalid_request_error", message, param });

describe("skills", () => {
  test("upload from frontmatter, get with content, update, versions, delete", async () => {
    const create = await api("POST", "/skills", form({ metadata: '{"team":"a"}' }, { bytes: zip, name: "review.zip" }));
    expect(create.status).toBe(201);
    const skill = create.body;
    expect(skill).toEqual({
      type: "skill",
      id: expect.stringMatching(/^skill_[0-9a-f]{32}$/),
      name: "code-review",
      description: "Reviews code",
      skill_type: "custom",
      status: "active",
      version: 1,
      content_size: zip.length,
      content_sha256: createHash("sha256").update(zip).digest("hex"),
      metadata: { team: "a" },
      created_at: expect.any(String),
      updated_at: skill.created_at,
    });
    expect((await api("GET", `/skills/${skill.id}`)).body).toEqual(skill);
    const withContent = await api("GET", `/skills/${skill.id}?include_content=true`);
    expect(withContent.body).toMatchObject({ content_encoding: "base64", content: zip.toString("base64") });

    const renamed = await api("PUT", `/skills/${skill.id}`, { name: "review_2", description: "new", metadata: { b: "1" } });
    expect(renamed.body).toMatchObject({ name: "review_2", description: "new", metadata: { b: "1" }, version: 1 });

    const zip2 = createZip({ "SKILL.md": skillMd("from-zip", "From zip") });
    const same = await api("PUT", `/skills/${skill.id}`, { content: zip.toString("base64"), content_encoding: "base64" });
    expect(same.body.version).toBe(1);
    const bumped = await api("PUT", `/skills/${skill.id}`, { content: zip2.toString("base64"), content_encoding: "base64" });
    expect(bumped.body).toMatchObject({ version: 2, name: "from-zip", description: "From zip", content_size: zip2.length });

    const versions = await api("GET", `/skills/${skill.id}/versions`);
    expect(versions.status).toBe(200);
    expect(versions.body).toMatchObject({ first_id: "2", last_id: "1", has_more: false });
    expect(versions.body.data).toEqual([
      expect.objectContaining({ version: "2", skill_id: skill.id, status: "active", content_sha256: bumped.body.content_sha256 }),
      expect.objectContaining({ version: "1", skill_id: skill.id, content_sha256: skill.content_sha256, content_size: zip.length }),
    ]);
    expect((await api("GET", "/skills")).body.data.map((s: { id: string }) => s.id)).toContain(skill.id);

    const del = await api("DELETE", `/skills/${skill.id}`);
    expect(del.status).toBe(200);
    expect(del.body).toEqual({ id: skill.id, type: "skill_deleted" });
    expect(errorOf(await api("GET", `/skills/${skill.id}`))).toMatchObject({ status: 404, message: `Skill '${skill.id}' was not found.` });
    expect(errorOf(await api("GET", `/skills/${skill.id}/versions`))).toMatchObject({ status: 404, type: "not_found_error" });
  });

  test("form fields win over frontmatter; type prebuilt; agents can bind the skill", async () => {
    const res = await api("POST", "/skills", form({ name: "override", description: "desc", type: "prebuilt" }, { bytes: zip, name: "s.zip" }));
    expect(res.body).toMatchObject({ name: "override", description: "desc", skill_type: "prebuilt" });
    const agent = await api("POST", "/agents", { name: "a", model: "auto", skills: [{ type: "custom", skill_id: res.body.id }] });
    expect(agent.status).toBe(201);
  });

  test("upload errors", async () => {
    expect(errorOf(await api("POST", "/skills", { name: "x" }))).toMatchObject(badRequest("Invalid multipart form or request too large."));
    expect(errorOf(await api("POST", "/skills", form({ name: "x" })))).toMatchObject(badRequest("Field 'file' is required.", "file"));
    expect(errorOf(await api("POST", "/skills", form({}, { bytes: Buffer.from("hello"), name: "a.txt" })))).toMatchObject(
      badRequest("Only .zip files are accepted.", "file"),
    );
    expect(errorOf(await api("POST", "/skills", form({}, { bytes: Buffer.from("not a zip"), name: "a.zip" })))).toMatchObject(
      badRequest("Only .zip files are accepted.", "file"),
    );
    const deep = createZip({ "a/b/SKILL.md": skillMd("x", "y") });
    expect(errorOf(await api("POST", "/skills", form({}, { bytes: deep, name: "a.zip" })))).toMatchObject({ status: 400, param: "file" });
    const noName = createZip({ "SKILL.md": "# no frontmatter" });
    expect(errorOf(await api("POST", "/skills", form({}, { bytes: noName, name: "a.zip" })))).toMatchObject({ status: 400, param: "name" });
    expect(errorOf(await api("POST", "/skills", form({ type: "weird" }, { bytes: zip, name: "a.zip" })))).toMatchObject({ status: 400, param: "type" });
    expect(errorOf(await api("POST", "/skills", form({ metadata: "{bad" }, { bytes: zip, name: "a.zip" })))).toMatchObject({ status: 400, param: "metadata" });
  });

  test("update errors", async () => {
    const { body: skill } = await api("POST", "/skills", form({}, { bytes: zip, name: "s.zip" }));
    for (const name of ["Upper", "-lead", "a".repeat(65), "sp ace"]) {
      expect(errorOf(await api("PUT", `/skills/${skill.id}`, { name }))).toMatchObject({ status: 400, type: "invalid_request_error", param: "name" });
    }
    expect(errorOf(await api("PUT", `/skills/${skill.id}`, form({ name: "x" })))).toMatchObject(badRequest("Request body must be valid JSON."));
    expect(errorOf(await api("PUT", `/skills/${skill.id}`, { content: "zzz", content_encoding: "base64" }))).toMatchObject({ status: 400, param: "content" });
    expect(errorOf(await api("PUT", `/skills/${skill.id}`, { content: "x", content_encoding: "hex" }))).toMatchObject({ status: 400, param: "content_encoding" });
    expect(errorOf(await api("PUT", "/skills/skill_nope", { name: "x" }))).toMatchObject({ status: 404, type: "not_found_error" });
  });
});

describe("skill name rule", () => {
  const RULE = "Skill name must be at most 64 characters of [a-z0-9_-], starting with a letter or digit.";
  const zipNamed = (name: string) => createZip({ "SKILL.md": skillMd(name, "d") });

  test("create and update apply the same rule: what creates can be updated, what cannot be updated does not create", async () => {
    for (const name of ["Release Notes", "Upper", "-lead", "a".repeat(65), "sp ace"]) {
      expect(errorOf(await api("POST", "/skills", form({}, { bytes: zipNamed(name), name: "s.zip" })))).toEqual(badRequest(RULE, "name"));
      expect(errorOf(await api("POST", "/skills", form({ name }, { bytes: zip, name: "s.zip" })))).toEqual(badRequest(RULE, "name"));
    }
    for (const name of ["release-notes", "r", "a".repeat(64), "9_lives"]) {
      const created = await api("POST", "/skills", form({}, { bytes: zipNamed(name), name: "s.zip" }));
      expect(created.status).toBe(201);
      expect((await api("PUT", `/skills/${created.body.id}`, { name, description: "again" })).status).toBe(200);
      const zipped = await api("PUT", `/skills/${created.body.id}`, { content: zipNamed(name).toString("base64"), content_encoding: "base64", metadata: { n: "1" } });
      expect(zipped.status).toBe(200);
    }
  });

  test("the frontmatter name of an update's zip is held to the same rule", async () => {
    const { body: skill } = await api("POST", "/skills", form({}, { bytes: zipNamed("release-notes"), name: "s.zip" }));
    const res = await api("PUT", `/skills/${skill.id}`, { content: zipNamed("Release Notes").toString("base64"), content_encoding: "base64" });
    expect(errorOf(res)).toEqual(badRequest(RULE, "name"));
  });
});

describe("a refused skill update changes nothing", () => {
  test("new content with an invalid name leaves the stored bytes matching content_sha256", async () => {
    const { body: skill } = await api("POST", "/skills", form({}, { bytes: zip, name: "s.zip" }));
    const other = createZip({ "SKILL.md": skillMd("other", "Other") });
    for (const body of [
      { content: other.toString("base64"), content_encoding: "base64", name: "Not Valid" },
      { content: other.toString("base64"), content_encoding: "base64", description: "x".repeat(2000) },
      { content: "plain text", metadata: { k: 5 } },
    ]) {
      expect((await api("PUT", `/skills/${skill.id}`, body)).status).toBe(400);
    }
    const now = await api("GET", `/skills/${skill.id}?include_content=true`);
    expect(now.body).toMatchObject({ version: 1, content_sha256: skill.content_sha256, content_size: skill.content_size, name: skill.name });
    const stored = Buffer.from(now.body.content, "base64");
    expect(createHash("sha256").update(stored).digest("hex")).toBe(skill.content_sha256);
    expect((await api("GET", `/skills/${skill.id}/versions`)).body.data).toHaveLength(1);
  });
});
