// qoder.Fleet over a copy of the sample configuration (qoder/), with the real CLI and emulator.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { NotFoundError, QoderClient } from "../../sdk";
import { EmulatorProcess, writesOf } from "../../testkit/emulator-process";
import { REPO_ROOT } from "../../testkit/paths";
import { changed, TestStack } from "../../testkit/stack";

let emu: EmulatorProcess;
let stack: TestStack;
let api: QoderClient;
let dir: string;

function copySample(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), "qoder-e2e-fleet-dir-"));
  fs.cpSync(path.join(REPO_ROOT, "qoder"), d, { recursive: true });
  return d;
}

beforeAll(async () => {
  emu = await EmulatorProcess.start();
  api = new QoderClient({ token: emu.token, baseUrl: emu.baseUrl, maxRetries: 0 });
  stack = new TestStack("fleet", emu);
  await stack.configureToken();
  await stack.ok("setConfig", { config: { "qoder-e2e:githubMcpToken": { value: "gh-e2e-token", secret: true } } });
  dir = copySample();
});
afterAll(async () => {
  stack?.cleanup();
  fs.rmSync(dir, { recursive: true, force: true });
  await emu?.stop();
});

test("up, no-op, one prompt edit = one update, removed files delete or archive", async () => {
  // files/: uploaded as File resources; the reviewer binds one for its sessions
  fs.mkdirSync(path.join(dir, "files", "guides"), { recursive: true });
  fs.writeFileSync(path.join(dir, "files", "guides", "style.md"), "# Style\n");
  edit(dir, "agents/reviewer.md", "memory_stores: [team-notes]", "memory_stores: [team-notes]\nfiles: [guides/style.md]");
  stack.setArgs({ dir });
  const up = await stack.up();
  // stack + Fleet + 2 agents, environment, skill, vault, memory store, memory, file
  expect(up.summary).toEqual({ create: 10 });
  const out = up.outputs!;
  expect(Object.keys(out.agents)).toEqual(["reviewer", "triager"]);
  expect(out.agents.reviewer).toMatchObject({
    version: 1,
    environmentId: out.environments.ci.id,
    vaultIds: [out.vaults.github.id],
    memoryStoreIds: [out.memoryStores["team-notes"].id],
    fileIds: [out.files["guides/style.md"].id],
  });
  expect(out.agents.triager.fileIds).toEqual([]);
  expect(await api.files.get(out.files["guides/style.md"].id)).toMatchObject({ filename: "style.md", size_bytes: 8 });
  expect(out.skills["repo-conventions"]).toMatchObject({ version: 1 });
  expect(Object.keys(out.memories)).toEqual(["team-notes/conventions.md"]);
  const reviewer = await api.agents.get(out.agents.reviewer.id);
  expect(reviewer.skills.map((s: any) => s.skill_id)).toEqual([out.skills["repo-conventions"].id]);
  expect(reviewer.system).toMatch(/^You are a careful code reviewer/);
  expect(reviewer.mcp_servers).toEqual([expect.objectContaining({ name: "github" })]);
  // the vault token came from secret config and is nowhere in plaintext in the state files
  const files = fs.readdirSync(path.join(stack.dir, "state"), { recursive: true, encoding: "utf8" }).map((f) => path.join(stack.dir, "state", f));
  const onDisk = files.filter((f) => fs.statSync(f).isFile()).map((f) => fs.readFileSync(f, "utf8"));
  expect(onDisk.join("").length).toBeGreaterThan(1000);
  expect(onDisk.some((s) => s.includes("gh-e2e-token"))).toBe(false);

  // no-op: zero writes
  await emu.resetStats();
  expect(changed((await stack.preview()).summary)).toBe(0);
  expect(changed((await stack.up()).summary)).toBe(0);
  expect((await emu.stats()).writes).toBe(0);

  // a prompt edit is exactly one agent update
  const file = path.join(dir, "agents", "reviewer.md");
  fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace("Never approve", "Never, ever approve"));
  const plan = await stack.preview();
  expect(plan.summary).toEqual({ same: 9, update: 1 });
  const step = plan.events.find((e) => e.op === "update")!;
  expect(step.urn).toMatch(/::fleet-agent-reviewer$/);
  expect(step.diffs).toEqual(["system"]);
  await emu.resetStats();
  expect((await stack.up()).summary).toMatchObject({ update: 1 });
  expect(writesOf(await emu.stats())).toEqual(["PUT /agents/{id}"]);

  // removing a file: triager (deletion_policy: delete) is deleted, reviewer (archive) archived
  fs.rmSync(path.join(dir, "agents", "triager.md"));
  expect((await stack.up()).summary).toMatchObject({ delete: 1 });
  await expect(api.agents.get(out.agents.triager.id)).rejects.toBeInstanceOf(NotFoundError);
  fs.rmSync(file);
  expect((await stack.up()).summary).toMatchObject({ delete: 1 });
  expect((await api.agents.get(out.agents.reviewer.id)).archived).toBe(true);
});

test("bad configuration files fail before anything is registered, naming file and field", async () => {
  const cases: Array<[string, (d: string) => void, RegExp]> = [
    ["missing reference", (d) => edit(d, "agents/reviewer.md", "skills: [repo-conventions]", "skills: [repo-conventionz]"), /agents\/reviewer\.md: frontmatter\.skills\[0\]: no skill "repo-conventionz"/],
    ["unknown key", (d) => edit(d, "agents/triager.md", "model: efficient", "modle: efficient"), /agents\/triager\.md: frontmatter\.modle: unknown key/],
    ["literal secret", (d) => edit(d, "vaults/github.yaml", /token:\n\s+secret: githubMcpToken/, "token: ghp_literal0123456789"), /vaults\/github\.yaml: credentials\[0\]\.token: literal secrets are refused/],
  ];
  const fresh = new TestStack("fleet", emu, { name: "fleet-bad" });
  try {
    await fresh.configureToken();
    await emu.resetStats();
    for (const [what, breakIt, message] of cases) {
      const d = copySample();
      breakIt(d);
      const r = await fresh.setArgs({ dir: d }).run("preview");
      expect({ what, ok: r.ok }).toEqual({ what, ok: false });
      expect(r.error).toMatch(message);
      expect(r.error).not.toContain("ghp_literal0123456789");
      fs.rmSync(d, { recursive: true, force: true });
    }
    expect((await emu.stats()).total).toBe(0);
    expect((await fresh.exportState()).deployment.resources ?? []).toEqual([]);
  } finally {
    fresh.cleanup();
  }
});

function edit(dir: string, file: string, from: string | RegExp, to: string) {
  const p = path.join(dir, file);
  const before = fs.readFileSync(p, "utf8");
  const after = before.replace(from, to);
  if (after === before) throw new Error(`edit of ${file} did nothing`);
  fs.writeFileSync(p, after);
}
