import * as fs from "node:fs";
import * as path from "node:path";
import { createHash } from "node:crypto";
import { changedFields, create, diff, read } from "../../provider/engine";
import { UNKNOWN } from "../../provider/json";
import { MAX_SKILL_ZIP_BYTES, skillKind } from "../../provider/kinds/skill";
import { zipDirectory } from "../../provider/skill-zip";
import { makeSkillDir, skillMarkdown, writeSkillFile } from "../../testkit/skill-dir";
import { checked, failuresOf, formPart, stateAfterCreate, useApiServer } from "./provider-kind-helpers";

const server = useApiServer();
const dirs: string[] = [];
afterEach(() => jest.restoreAllMocks());
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
function skillDir(extra: Record<string, string | Buffer> = {}): string {
  const d = makeSkillDir({ "SKILL.md": skillMarkdown("helper", "Helps"), "notes.md": "v1\n", ...extra });
  dirs.push(d);
  return d;
}

function liveSkill(inputs: Record<string, any>, over: Record<string, any> = {}) {
  return {
    id: "skill_0123456789abcdef0123456789abcdef",
    type: "skill",
    name: inputs.name ?? "helper",
    description: inputs.description ?? "Helps",
    skill_type: "custom",
    status: "active",
    version: 1,
    content_size: inputs.contentSize,
    content_sha256: inputs.contentSha256,
    metadata: inputs.metadata,
    created_at: "2026-05-18T15:35:24.248Z",
    updated_at: "2026-05-18T15:35:24.248Z",
    ...over,
  };
}

describe("check", () => {
  test("defaults, and the local content hash as an input", () => {
    const source = skillDir();
    const inputs = checked(skillKind, { source });
    const a = zipDirectory(source);
    expect(inputs).toEqual({ source, metadata: {}, deletionPolicy: "delete", contentSha256: a.sha256, contentSize: a.size, files: ["SKILL.md", "notes.md"], fileHashes: a.fileHashes });
  });

  test("the files a skill uploads are an input, so previews and plans list them; secrets are not among them", () => {
    const source = skillDir({ ".env": "TOKEN=x\n", ".npmrc": "//r/:_authToken=y\n", "lib/tool.sh": "echo\n" });
    expect(checked(skillKind, { source }).files).toEqual(["SKILL.md", "lib/tool.sh", "notes.md"]);
  });

  test.each([
    ["Release Notes", /"Release Notes"/],
    ["-leading", /"-leading"/],
    ["x".repeat(65), /x{65}/],
  ])("a SKILL.md frontmatter name %j that the update would refuse fails in preview, naming the file and the rule", (name, shown) => {
    const source = skillDir({ "SKILL.md": skillMarkdown(name, "Writes release notes") });
    const failures = failuresOf(skillKind, { source });
    expect(failures).toHaveLength(1);
    expect(failures[0].property).toBe("source");
    expect(failures[0].reason).toContain(`${path.join(source, "SKILL.md")}: frontmatter.name`);
    expect(failures[0].reason).toMatch(shown);
    expect(failures[0].reason).toMatch(/lowercase letters, digits, - or _, starting with a letter or digit/);
    // the frontmatter wins over the form field on create, so a valid `name` input does not help
    expect(failuresOf(skillKind, { source, name: "release-notes" })[0].property).toBe("source");
  });

  test("frontmatter without a name, or with a valid one, passes; broken frontmatter YAML names its line", () => {
    expect(checked(skillKind, { source: skillDir({ "SKILL.md": "---\ndescription: d\n---\nbody\n" }) }).contentSha256).toBeDefined();
    expect(checked(skillKind, { source: skillDir({ "SKILL.md": skillMarkdown("release_notes-2", "d") }) }).contentSha256).toBeDefined();
    const [f] = failuresOf(skillKind, { source: skillDir({ "SKILL.md": "---\nname: ok\ndescription: [\n---\nbody\n" }) });
    expect(f.reason).toMatch(/SKILL\.md: frontmatter: invalid YAML \(line \d+, column \d+\)/);
  });

  test.each([
    [{ name: "Has Capitals" }, "name", /lowercase/],
    [{ name: "-leading" }, "name", /starting with a letter or digit/],
    [{ name: "a".repeat(65) }, "name", /64/],
    [{ description: "d".repeat(1025) }, "description", /1024/],
    [{ metadata: Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, "v"])) }, "metadata", /at most 16 keys/],
    [{ metadata: { ["k".repeat(65)]: "v" } }, `metadata.${"k".repeat(65)}`, /at most 64 characters/],
    [{ deletionPolicy: "archive" }, "deletionPolicy", /skills cannot be archived/],
    [{ version: 3 }, "(inputs)", /version/],
  ])("%j fails on %s", (extra, property, reason) => {
    const failures = failuresOf(skillKind, { source: skillDir(), ...extra });
    expect([...new Set(failures.map((f) => f.property))]).toEqual([property]);
    expect(failures[0].reason).toMatch(reason);
  });

  test("a missing directory, a missing SKILL.md and an oversize skill fail on `source`", () => {
    const missing = failuresOf(skillKind, { source: path.join(skillDir(), "nope") });
    expect(missing).toEqual([{ property: "source", reason: expect.stringMatching(/^source: directory .*nope does not exist/) }]);

    const noSkillMd = makeSkillDir({ "README.md": "hi" });
    dirs.push(noSkillMd);
    expect(failuresOf(skillKind, { source: noSkillMd })).toEqual([{ property: "source", reason: expect.stringMatching(/no SKILL\.md/) }]);

    const big = skillDir({ "blob.bin": Buffer.alloc(MAX_SKILL_ZIP_BYTES + 1, 7) });
    expect(failuresOf(skillKind, { source: big })).toEqual([{ property: "source", reason: expect.stringMatching(/over .* MB.*4 MB request limit/) }]);
    // the zip's headers count: files just under the limit still make a zip over it
    const edge = skillDir({ "blob.bin": Buffer.alloc(MAX_SKILL_ZIP_BYTES - 100, 7) });
    expect(failuresOf(skillKind, { source: edge })).toEqual([{ property: "source", reason: expect.stringMatching(/zipped skill is .* MB.*4 MB request limit/) }]);
    expect(failuresOf(skillKind, { source: "" })[0].property).toBe("source");
  });

  test("values unknown during preview are not checked, and nothing is hashed", () => {
    expect(checked(skillKind, { source: UNKNOWN, name: "ok" })).toEqual({ source: UNKNOWN, name: "ok", metadata: {}, deletionPolicy: "delete" });
    const source = skillDir();
    expect(checked(skillKind, { source, name: UNKNOWN }).name).toBe(UNKNOWN);
    // an unknown value does not hide a real failure elsewhere
    expect(failuresOf(skillKind, { source: UNKNOWN, name: "BAD" }).map((f) => f.property)).toEqual(["name"]);
  });
});

describe("diff", () => {
  test("no diff when nothing changed; a file edit changes contentSha256 only", () => {
    const source = skillDir();
    const inputs = checked(skillKind, { source, metadata: { team: "a" } });
    const state = stateAfterCreate(skillKind, inputs, liveSkill(inputs));
    expect(diff(skillKind, "id", state, checked(skillKind, { source, metadata: { team: "a" } }))).toEqual({ changes: false });

    writeSkillFile(source, "notes.md", "v2\n");
    const edited = checked(skillKind, { source, metadata: { team: "a" } });
    expect(changedFields(skillKind, state, edited)).toEqual(["contentSha256"]);
    expect(diff(skillKind, "id", state, edited)).toEqual({ replaces: [] });
  });

  test("a moved directory with the same content is no change", () => {
    const a = skillDir();
    const inputs = checked(skillKind, { source: a });
    const state = stateAfterCreate(skillKind, inputs, liveSkill(inputs));
    const b = skillDir();
    expect(diff(skillKind, "id", state, checked(skillKind, { source: b }))).toEqual({ changes: false });
  });

  test("unset name/description are the server's (frontmatter) and not compared; set ones are", () => {
    const source = skillDir();
    const inputs = checked(skillKind, { source });
    const state = stateAfterCreate(skillKind, inputs, liveSkill(inputs, { name: "from-frontmatter", description: "server text" }));
    expect(state.name).toBe("from-frontmatter");
    expect(diff(skillKind, "id", state, checked(skillKind, { source })).changes).toBe(false);
    expect(changedFields(skillKind, state, checked(skillKind, { source, name: "renamed", description: "mine" }))).toEqual(["name", "description"]);
    expect(changedFields(skillKind, state, checked(skillKind, { source, name: "from-frontmatter" }))).toEqual([]);
  });

  test("metadata is compared whole, {} equals absent", () => {
    const source = skillDir();
    const inputs = checked(skillKind, { source });
    const state = stateAfterCreate(skillKind, inputs, liveSkill(inputs, { metadata: undefined }));
    expect(diff(skillKind, "id", state, checked(skillKind, { source, metadata: {} })).changes).toBe(false);
    expect(changedFields(skillKind, state, checked(skillKind, { source, metadata: { a: "1" } }))).toEqual(["metadata"]);
  });
});

test("read: the live skill maps back to inputs that diff clean against the program", async () => {
  const source = skillDir();
  const inputs = checked(skillKind, { source, metadata: { team: "a" } });
  const live = liveSkill(inputs, { version: 4 });
  const state = stateAfterCreate(skillKind, inputs, live);
  server.reply({ json: live });
  const r = await read(server.api(), skillKind, live.id, state);
  expect(server.sent()).toEqual([[`GET /skills/${live.id}`]]);
  expect(r.id).toBe(live.id);
  expect(r.inputs).toMatchObject({ source, name: "helper", description: "Helps", metadata: { team: "a" }, contentSha256: inputs.contentSha256, deletionPolicy: "delete" });
  expect(r.props).toMatchObject({ skillId: live.id, version: 4, contentSha256: inputs.contentSha256, contentSize: inputs.contentSize });
  expect(diff(skillKind, live.id, r.props!, inputs)).toEqual({ changes: false });
});

describe("update body", () => {
  async function bodyFor(olds: any, news: any): Promise<any> {
    server.requests.length = 0;
    server.reply({ json: liveSkill(news, { version: 2 }) });
    await skillKind.update(server.api(), "skill_x", olds, news, changedFields(skillKind, olds, news) as any);
    const sent = server.sent();
    expect(sent.map(([call]) => call)).toEqual(["PUT /skills/skill_x"]);
    return sent[0][1];
  }

  test("metadata-only change: metadata replaced whole, no content", async () => {
    const source = skillDir();
    const inputs = checked(skillKind, { source, metadata: { a: "1", b: "2" } });
    const state = stateAfterCreate(skillKind, inputs, liveSkill(inputs));
    expect(await bodyFor(state, checked(skillKind, { source, metadata: { a: "1" } }))).toEqual({ metadata: { a: "1" } });
  });

  test("content change: the new zip as base64; names the program sets travel along", async () => {
    const source = skillDir();
    const inputs = checked(skillKind, { source });
    const state = stateAfterCreate(skillKind, inputs, liveSkill(inputs));
    writeSkillFile(source, "notes.md", "v2\n");
    const body = await bodyFor(state, checked(skillKind, { source }));
    expect(body).toEqual({ content: zipDirectory(source).zip.toString("base64"), content_encoding: "base64" });

    const named = checked(skillKind, { source: skillDir(), name: "helper", description: "Helps" });
    const namedState = stateAfterCreate(skillKind, named, liveSkill(named));
    writeSkillFile(named.source, "notes.md", "v3\n");
    const withNames = await bodyFor(namedState, checked(skillKind, { source: named.source, name: "helper", description: "Helps" }));
    expect(withNames).toMatchObject({ name: "helper", description: "Helps", content_encoding: "base64" });
  });
});

test("the bytes uploaded are the bytes check hashed: one zip per operation", async () => {
  const source = skillDir();
  const inputs = checked(skillKind, { source });
  writeSkillFile(source, "late.md", "written after check\n"); // would change a second zip
  server.reply({ json: liveSkill(inputs, { created_at: new Date().toISOString() }) }); // fresh: no replay to re-read
  await create(server.api(), skillKind, inputs);
  expect(server.sent()).toEqual([["POST /skills"]]);
  const uploaded = formPart(server.requests[0], "file");
  expect(createHash("sha256").update(uploaded).digest("hex")).toBe(inputs.contentSha256);
});
