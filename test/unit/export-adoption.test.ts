// Adoption of the kinds an export records ids for, through the engine against an in-process
// emulator: no write when the program matches, trusted tokens (never rotated on adoption, a
// later change is a rotation), skills compared by their files, and the Fleet's ids file rules.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator, type RunningEmulator } from "../../emulator/index";
import { createZip } from "../../emulator/zip";
import * as engine from "../../provider/engine";
import { loadFleet } from "../../provider/fleet/spec";
import { skillKind } from "../../provider/kinds/skill";
import { memoryKind } from "../../provider/kinds/memory";
import { vaultKind } from "../../provider/kinds/vault";
import { vaultCredentialKind } from "../../provider/kinds/vault-credential";
import type { AnyKind } from "../../provider/kinds/kind";
import { QoderClient } from "../../sdk";

let emu: RunningEmulator;
let api: QoderClient;
let scratch: string;

beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
  api = new QoderClient({ token: emu.token, baseUrl: emu.baseUrl, maxRetries: 0 });
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), "export-adoption-"));
});
afterAll(async () => {
  fs.rmSync(scratch, { recursive: true, force: true });
  await emu.close();
});

async function admin(method: string, what: string): Promise<{ log?: Array<{ method: string; route: string }> }> {
  const res = await fetch(`${emu.origin}/_emulator/${what}`, { method, headers: { authorization: `Bearer ${emu.token}` } });
  const text = await res.text();
  return text ? JSON.parse(text) : {};
}

/** `fn`'s result and the writes ("METHOD route") the emulator saw meanwhile. */
async function withWrites<T>(fn: () => Promise<T>): Promise<{ result: T; writes: string[] }> {
  await admin("POST", "stats/reset");
  const result = await fn();
  const writes = ((await admin("GET", "stats")).log ?? []).filter((e) => e.method !== "GET").map((e) => `${e.method} ${e.route}`);
  return { result, writes };
}

function checked(kind: AnyKind, news: Record<string, unknown>): Record<string, unknown> {
  const r = engine.check(kind, {}, news);
  if (r.failures) throw new Error(JSON.stringify(r.failures));
  return r.inputs;
}

function skillDir(name: string, files: Record<string, string>): string {
  const dir = path.join(scratch, name);
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

describe("Skill", () => {
  const files = { "SKILL.md": "---\nname: lint\n---\nLint.\n", "scripts/deep/run.sh": "#!/bin/sh\n" };

  test("the same files in another zip: adopted without an upload, and no drift after a refresh", async () => {
    const live = await api.skills.create({ file: createZip(Object.fromEntries(Object.entries(files).map(([k, v]) => [`lint/${k}`, v]))) });
    const inputs = checked(skillKind, { source: skillDir("same", files), adoptId: live.id });
    expect(inputs.contentSha256).not.toBe(live.content_sha256); // other bytes, same files
    const { result, writes } = await withWrites(() => engine.create(api, skillKind, inputs));
    expect(writes).toEqual([]);
    expect(result.outs).toMatchObject({ skillId: live.id, contentSha256: inputs.contentSha256, serverContentSha256: live.content_sha256 });
    const refreshed = await engine.read(api, skillKind, live.id, result.outs);
    expect(engine.changedFields(skillKind, refreshed.props!, inputs)).toEqual([]);
  });

  test("different files: adoption uploads them (one update)", async () => {
    const live = await api.skills.create({ file: createZip({ "SKILL.md": "---\nname: other\n---\nOld.\n" }) });
    const inputs = checked(skillKind, { source: skillDir("changed", files), adoptId: live.id });
    const { writes } = await withWrites(() => engine.create(api, skillKind, inputs));
    expect(writes).toEqual(["PUT /skills/{id}"]);
  });
});

describe("vault credentials: the configured token is trusted on adoption", () => {
  test("Vault: no credential is rotated; a later token change is", async () => {
    const url = "https://mcp.example.com/mcp";
    const live = await api.vaults.create({ display_name: "tools", credentials: [{ mcp_server_url: url, protocol: "streamable_http", type: "static_bearer", access_token: "tok-live" }] });
    const inputs = checked(vaultKind, { displayName: "tools", credentials: [{ mcpServerUrl: url, token: "tok-live" }], adoptId: live.id });
    const { result, writes } = await withWrites(() => engine.create(api, vaultKind, inputs));
    expect(writes).toEqual([]);
    expect(result.outs.credentialIds).toEqual([live.credentials![0].id]);
    expect(engine.changedFields(vaultKind, result.outs, inputs)).toEqual([]);
    expect(engine.changedFields(vaultKind, result.outs, checked(vaultKind, { ...inputs, credentials: [{ mcpServerUrl: url, token: "tok-rotated" }] }))).toEqual(["credentials"]);
  });

  test("VaultCredential: adopted without a write; a later token change replaces it", async () => {
    const vault = await api.vaults.create({ display_name: "standalone" });
    const cred = await api.vaults.credentials.create(vault.id, { mcp_server_url: "https://a.example.com/mcp", protocol: "sse", type: "static_bearer", access_token: "tok-a" });
    const inputs = checked(vaultCredentialKind, { vaultId: vault.id, mcpServerUrl: "https://a.example.com/mcp", protocol: "sse", token: "tok-a", adoptId: cred.id });
    const { result, writes } = await withWrites(() => engine.create(api, vaultCredentialKind, inputs));
    expect(writes).toEqual([]);
    expect(result).toMatchObject({ id: cred.id, outs: { tokenDigest: expect.stringMatching(/^[0-9a-f]{64}$/) } });
    expect(engine.diff(vaultCredentialKind, cred.id, result.outs, checked(vaultCredentialKind, { ...inputs, token: "tok-b" }))).toMatchObject({ replaces: ["token"] });
  });
});

test("Memory: adopted without a write; a field that only a replacement changes is refused", async () => {
  const store = await api.memoryStores.create({ name: "notes", description: "Notes" });
  const mem = await api.memoryStores.memories.create(store.id, { path: "a/b.md", content: "x\n" });
  const { writes } = await withWrites(() => engine.create(api, memoryKind, checked(memoryKind, { storeId: store.id, path: "a/b.md", content: "x\n", adoptId: mem.id })));
  expect(writes).toEqual([]);
  await expect(engine.create(api, memoryKind, checked(memoryKind, { storeId: store.id, path: "a/c.md", content: "x\n", adoptId: mem.id }))).rejects.toThrow(
    /adoptId mem_\w+ differs in path, which cannot change in place/,
  );
});

describe("the Fleet's ids file", () => {
  const id = (prefix: string, n: number) => `${prefix}_${String(n).padStart(32, "0")}`;
  function fleet(files: Record<string, string>): string {
    const dir = fs.mkdtempSync(path.join(scratch, "fleet-"));
    for (const [rel, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), text);
    }
    return dir;
  }
  const agent = (name: string) => `---\nname: ${name}\nmodel: auto\n---\nPrompt.\n`;

  test("gives each file its id; duplicate names are allowed between adopted files only", () => {
    const dir = fleet({ "agents/a.md": agent("same"), "agents/b.md": agent("same"), ".qoder-ids.yaml": `agents/a.md: ${id("agent", 1)}\nagents/b.md: ${id("agent", 2)}\n` });
    expect(loadFleet(dir).agents.b.args).toMatchObject({ name: "same", adoptId: id("agent", 2) });
    fs.writeFileSync(path.join(dir, ".qoder-ids.yaml"), `agents/a.md: ${id("agent", 1)}\n`);
    expect(() => loadFleet(dir)).toThrow(/agents\/b\.md: frontmatter\.name: "same" is also the frontmatter\.name of/);
  });

  test("files below files/ take their ids too, and only file_ ids", () => {
    const dir = fleet({ "files/guides/style.md": "# Style\n", "files/notes.txt": "n\n", ".qoder-ids.yaml": `files/guides/style.md: ${id("file", 1)}\n` });
    const spec = loadFleet(dir);
    expect(spec.files["guides/style.md"]).toMatchObject({ adoptId: id("file", 1) });
    expect(spec.files["notes.txt"].adoptId).toBeUndefined();
    fs.writeFileSync(path.join(dir, ".qoder-ids.yaml"), `files/notes.txt: ${id("agent", 2)}\n`);
    expect(() => loadFleet(dir)).toThrow(/\.qoder-ids\.yaml: "files\/notes\.txt": must be a file_ id/);
  });

  test("refuses entries without a file, ids of the wrong kind or recorded twice, and ids inside files", () => {
    const dir = fleet({
      "agents/a.md": agent("a"),
      "environments/e.yaml": `adopt_id: ${id("env", 1)}\n`,
      ".qoder-ids.yaml": `agents/renamed.md: ${id("agent", 1)}\nagents/a.md: ${id("env", 2)}\nvaults/v.yaml: ${id("skill", 3)}\nvaults/w.yaml: ${id("vault", 4)}\nvaults/x.yaml: ${id("vault", 4)}\n`,
    });
    let message = "";
    try {
      loadFleet(dir);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/\.qoder-ids\.yaml: "agents\/renamed\.md": names no Fleet file .*rename the entry along with its file/);
    expect(message).toMatch(/\.qoder-ids\.yaml: "agents\/a\.md": must be a agent_ id/);
    expect(message).toMatch(/\.qoder-ids\.yaml: "vaults\/v\.yaml": must be a vault_ id/);
    expect(message).toMatch(/\.qoder-ids\.yaml: "vaults\/x\.yaml": vault_0+4 is also recorded for vaults\/w\.yaml/);
    expect(message).toMatch(/environments\/e\.yaml: adopt_id: not a Fleet file key: record the id .* in \.qoder-ids\.yaml/);
  });
});
