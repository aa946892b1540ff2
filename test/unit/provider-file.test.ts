// The file kind: check (defaults, content hash, size limit by stat), diff (every change
// replaces), the upload (the bytes check hashed), read round trip, adoption; and Fleet's files/.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { changedFields, create, diff, read } from "../../provider/engine";
import { FleetConfigError, loadFleet } from "../../provider/fleet";
import { UNKNOWN } from "../../provider/json";
import { fileKind as kind, MAX_FILE_BYTES } from "../../provider/kinds/file";
import { checked, failuresOf, recordingClient, stateAfterCreate } from "./provider-fakes";
import { expectFailure, fakeId } from "./provider-kind-helpers";

const dirs: string[] = [];
afterEach(() => jest.restoreAllMocks());
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), "qoder-file-"));
  dirs.push(d);
  return d;
}
function localFile(content: string | Buffer = "# Style\n", name = "style.md"): string {
  const f = path.join(tempDir(), name);
  fs.writeFileSync(f, content);
  return f;
}
const sha = (b: string | Buffer) => createHash("sha256").update(b).digest("hex");

/** The file object as the server answers an upload of `inputs`. */
function liveFile(inputs: Record<string, any>, over: Record<string, any> = {}) {
  const id = fakeId("file");
  return {
    id,
    file_id: id,
    type: "file",
    filename: inputs.name,
    size_bytes: inputs.sizeBytes,
    mime_type: "text/markdown",
    purpose: inputs.purpose,
    status: "ready",
    downloadable: false,
    scope: null,
    metadata: inputs.metadata,
    // second precision, and recent: an old created_at would make a create look replayed
    created_at: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
    updated_at: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
    ...over,
  };
}

describe("check", () => {
  test("defaults: the base name, user_upload, deleted on destroy; the content hash and size as inputs", () => {
    const source = localFile("# Style\n");
    expect(checked(kind, { source })).toEqual({
      source,
      name: "style.md",
      purpose: "user_upload",
      metadata: {},
      deletionPolicy: "delete",
      contentSha256: sha("# Style\n"),
      sizeBytes: 8,
    });
    expect(checked(kind, { source, name: "guide.md", purpose: "session_resource" })).toMatchObject({ name: "guide.md", purpose: "session_resource" });
  });

  test.each([
    ["purpose", { purpose: "avatar" }, /user_upload/],
    ["deletionPolicy", { deletionPolicy: "archive" }, /files cannot be archived/],
    ["adoptId", { adoptId: "file_1" }, /file_ id/],
    ["name", { name: "" }, /1/],
    ["name", { name: "n".repeat(256) }, /255/],
    ["metadata", { metadata: Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`${i}`.padEnd(64, "k"), "v".repeat(512)])) }, /8 KB/],
    ["(inputs)", { contentType: "text/plain" }, /contentType/],
  ])("%s: an invalid value is rejected on that path", (property, patch, rule) => {
    expectFailure(kind, { source: localFile(), ...patch }, property, rule);
  });

  test("a missing path or a directory fails on `source`, naming it", () => {
    const missing = path.join(tempDir(), "nope.md");
    expect(failuresOf(kind, { source: missing })).toEqual([{ property: "source", reason: expect.stringMatching(/^source: file .*nope\.md does not exist/) }]);
    const dir = tempDir();
    expect(failuresOf(kind, { source: dir })).toEqual([{ property: "source", reason: `source: ${dir} is not a regular file` }]);
  });

  test("over the size limit: refused from stat alone (nothing is read), naming the file and the limit", () => {
    const source = path.join(tempDir(), "big.bin");
    fs.closeSync(fs.openSync(source, "w"));
    fs.truncateSync(source, MAX_FILE_BYTES + 1); // sparse: no 4 MB written
    const [f] = failuresOf(kind, { source });
    expect(f.property).toBe("source");
    expect(f.reason).toContain(`file ${source} is ${MAX_FILE_BYTES + 1} bytes (3.98 MB); a file may be at most ${MAX_FILE_BYTES} bytes (3.98 MB)`);
    expect(f.reason).toMatch(/4 MB request limit/);
    // 3 GiB (sparse): reading it would fail with Node's own "greater than 2 GiB" error
    fs.truncateSync(source, 3 * 1024 ** 3);
    expect(failuresOf(kind, { source })[0].reason).toContain(`file ${source} is ${3 * 1024 ** 3} bytes (3072.00 MB)`);
    fs.truncateSync(source, MAX_FILE_BYTES);
    expect(checked(kind, { source }).sizeBytes).toBe(MAX_FILE_BYTES);
  });

  test("a source unknown during preview is not read or hashed", () => {
    expect(checked(kind, { source: UNKNOWN })).toEqual({ source: UNKNOWN, purpose: "user_upload", metadata: {}, deletionPolicy: "delete" });
  });
});

describe("diff: files have no update, so every change replaces", () => {
  const setup = (program: Record<string, any> = {}) => {
    const source = localFile("v1\n");
    const inputs = checked(kind, { source, ...program });
    return { source, inputs, state: stateAfterCreate(kind, inputs, liveFile(inputs)) };
  };

  test("unchanged: no diff; the same content at another path: no diff", () => {
    const { source, state } = setup();
    expect(diff(kind, "id", state, checked(kind, { source }))).toEqual({ changes: false });
    expect(diff(kind, "id", state, checked(kind, { source: localFile("v1\n", "style.md") }))).toEqual({ changes: false });
  });

  test("an edit replaces: the hash (and the size, when it changed) force it", () => {
    const { source, state } = setup();
    fs.writeFileSync(source, "v2\n");
    expect(diff(kind, "id", state, checked(kind, { source }))).toEqual({ replaces: ["contentSha256"] });
    fs.writeFileSync(source, "version 3\n");
    expect(diff(kind, "id", state, checked(kind, { source }))).toEqual({ replaces: ["contentSha256", "sizeBytes"] });
  });

  test.each([
    [{ name: "renamed.md" }, ["name"]],
    [{ purpose: "session_resource" }, ["purpose"]],
    [{ metadata: { team: "a" } }, ["metadata"]],
  ])("%j replaces", (patch, replaces) => {
    const { source, state } = setup();
    expect(diff(kind, "id", state, checked(kind, { source, ...patch }))).toEqual({ replaces });
  });

  test("metadata {} equals absent", () => {
    const { source, inputs } = setup();
    const state = stateAfterCreate(kind, inputs, liveFile(inputs, { metadata: undefined }));
    expect(changedFields(kind, state, checked(kind, { source, metadata: {} }))).toEqual([]);
  });
});

describe("create", () => {
  test("uploads the bytes check hashed, even if the file changed since; the form as the API takes it", async () => {
    const source = localFile("# Style\n");
    const inputs = checked(kind, { source, metadata: { team: "docs" } });
    fs.writeFileSync(source, "written after check\n");
    const { client, calls } = recordingClient(() => liveFile(inputs));
    const { outs } = await create(client, kind, inputs);
    expect(calls.map((c) => c.name)).toEqual(["files.upload"]);
    const [form, opts] = calls[0].args;
    expect(sha(Buffer.from(form.file))).toBe(inputs.contentSha256);
    // the default purpose is left to the server (the newest API generation drops the field)
    expect({ ...form, file: undefined }).toEqual({ file: undefined, filename: "style.md", contentType: "text/markdown", metadata: { team: "docs" } });
    expect(opts.idempotencyKey).toMatch(/\S/);
    expect(outs).toMatchObject({ fileId: expect.stringMatching(/^file_/), name: "style.md", sizeBytes: 8, mimeType: "text/markdown", contentSha256: inputs.contentSha256 });
  });

  test("a custom name and purpose are sent; the part keeps the file's own name", async () => {
    const inputs = checked(kind, { source: localFile("a,b\n", "data.csv"), name: "Q3 numbers.csv", purpose: "session_resource" });
    const { client, calls } = recordingClient(() => liveFile(inputs));
    await create(client, kind, inputs);
    expect(calls[0].args[0]).toMatchObject({ filename: "data.csv", name: "Q3 numbers.csv", purpose: "session_resource", contentType: "text/csv" });
    expect(calls[0].args[0].metadata).toBeUndefined();
  });

  test("in a fresh process (nothing cached) a file changed since check is refused, not uploaded", async () => {
    const source = localFile("v1\n");
    const inputs = { ...checked(kind, { source }), contentSha256: sha("what preview saw\n") };
    const { client, calls } = recordingClient(() => liveFile(inputs));
    await expect(create(client, kind, inputs)).rejects.toThrow(/style\.md changed after it was checked/);
    expect(calls).toEqual([]);
  });
});

test("read: the live file maps back to inputs that diff clean; mimeType is the server's", async () => {
  const source = localFile("# Style\n");
  const inputs = checked(kind, { source, metadata: { team: "docs" } });
  const live = liveFile(inputs, { mime_type: "text/x-markdown" });
  const state = stateAfterCreate(kind, inputs, live);
  const { client } = recordingClient(() => live);
  const r = await read(client, kind, live.id, state);
  expect(r.inputs).toEqual({ ...inputs });
  expect(r.props).toMatchObject({ fileId: live.id, mimeType: "text/x-markdown", sizeBytes: 8 });
  expect(diff(kind, live.id, r.props!, inputs)).toEqual({ changes: false });
});

describe("adoption", () => {
  test("a file that matches (name, size, purpose, metadata) is taken over without a write", async () => {
    const inputs = checked(kind, { source: localFile("# Style\n") });
    const live = liveFile(inputs);
    const { client, calls } = recordingClient(() => live);
    const { id, outs } = await create(client, kind, { ...inputs, adoptId: live.id });
    expect(id).toBe(live.id);
    expect(calls.map((c) => c.name)).toEqual(["files.get"]);
    expect(outs).toMatchObject({ fileId: live.id, adoptId: live.id, contentSha256: inputs.contentSha256 });
  });

  test("a file that differs cannot be changed in place: refused, naming what differs", async () => {
    const inputs = checked(kind, { source: localFile("# Style\n") });
    const live = liveFile(inputs, { size_bytes: 99 });
    const { client, calls } = recordingClient(() => live);
    await expect(create(client, kind, { ...inputs, adoptId: live.id })).rejects.toThrow(new RegExp(`${live.id}.*sizeBytes`));
    expect(calls.map((c) => c.name)).toEqual(["files.get"]);
  });
});

describe("Fleet files/", () => {
  const AGENT = "---\nmodel: lite\nfiles: [style.md, docs/api.md]\n---\nYou help.\n";
  function fleetDir(files: Record<string, string | Buffer>): string {
    const d = tempDir();
    for (const [rel, content] of Object.entries({ "agents/helper.md": AGENT, ...files })) {
      fs.mkdirSync(path.dirname(path.join(d, rel)), { recursive: true });
      fs.writeFileSync(path.join(d, rel), content);
    }
    return d;
  }
  function problems(d: string): string[] {
    try {
      loadFleet(d);
    } catch (e) {
      expect(e).toBeInstanceOf(FleetConfigError);
      return (e as FleetConfigError).problems.map((p) => p.split(d + "/").join(""));
    }
    throw new Error("expected a FleetConfigError");
  }

  test("every file below files/ by its path there (hidden ones skipped); an agent names them", () => {
    const d = fleetDir({ "files/style.md": "s", "files/docs/api.md": "a", "files/.DS_Store": "x" });
    const spec = loadFleet(d);
    expect(spec.files).toEqual({ "docs/api.md": { file: path.join(d, "files/docs/api.md") }, "style.md": { file: path.join(d, "files/style.md") } });
    expect(spec.agents.helper.files).toEqual(["style.md", "docs/api.md"]);
  });

  test("an unknown name, a case clash, a bad name and an oversize file are named with their file", () => {
    const d = fleetDir({ "files/Style.md": "s", "files/style.md": "s", "files/docs/bad name.md": "x", "files/docs/api.md": "a" });
    fs.truncateSync(path.join(d, "files/docs/api.md"), MAX_FILE_BYTES + 1);
    const found = problems(d);
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^files\/style\.md: clashes with files\/Style\.md/),
        "files/docs/bad name.md: file and folder names must be letters, digits, '.', '_' or '-'",
        expect.stringMatching(/^files\/docs\/api\.md: 4\.0 MiB \(\d+ bytes\); an uploaded file may be at most 4\.0 MiB/),
        'agents/helper.md: frontmatter.files[0]: no file "style.md" (expected files/style.md)',
        'agents/helper.md: frontmatter.files[1]: no file "docs/api.md" (expected files/docs/api.md)',
      ]),
    );
    expect(found).toHaveLength(5);
  });
});
