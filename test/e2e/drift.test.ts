// qoder-drift (the package bin) against a Fleet project: 0 clean, 2 after out-of-band edits
// (both reports name the fields, secrets masked), 1 on a broken stack.
import * as fs from "node:fs";
import { QoderClient } from "../../sdk";
import { EmulatorProcess } from "../../testkit/emulator-process";
import { disposeProject, ProjectStack, upSampleFleet } from "./programs/project";

const GH_TOKEN = "gh-drift-e2e-token";
let emu: EmulatorProcess;
let project: ProjectStack;
let api: QoderClient;

beforeAll(async () => {
  emu = await EmulatorProcess.start();
  api = new QoderClient({ token: emu.token, baseUrl: emu.baseUrl, maxRetries: 0 });
  project = await upSampleFleet("qoder-drift-e2e", emu, GH_TOKEN);
});
afterAll(async () => {
  disposeProject(project);
  await emu?.stop();
});

test("exit 0 without drift, 2 with the drifted fields in both reports", async () => {
  const json = project.file("drift.json");
  const md = project.file("drift.md");
  const clean = await project.tool("drift-cli", ["--json", json, "--markdown", md]);
  expect(clean.code).toBe(0);
  expect(JSON.parse(fs.readFileSync(json, "utf8"))).toMatchObject({ kind: "drift", changes: false, resources: [] });
  expect(fs.readFileSync(md, "utf8")).toMatch(/No drift/);

  // someone edits the reviewer's prompt and description in the console, and drops a credential
  const [reviewer] = (await api.agents.list().toArray()).filter((a: any) => a.name === "reviewer");
  const system = (reviewer.system ?? "").replace("Never approve", "Always approve");
  await api.agents.update(reviewer.id, { version: reviewer.version, description: "edited by hand", system } as any);
  const [vault] = await api.vaults.list().toArray();
  const [cred] = await api.vaults.credentials.list(vault.id).toArray();
  await api.vaults.credentials.delete(vault.id, cred.id);
  // ...and deletes the seeded memory
  const [store] = await api.memoryStores.list().toArray();
  const [memory] = await api.memoryStores.memories.list(store.id).toArray();
  await api.memoryStores.memories.delete(store.id, memory.id);

  const drift = await project.tool("drift-cli", ["--json", json, "--markdown", md]);
  expect(drift.code).toBe(2);
  const report = JSON.parse(fs.readFileSync(json, "utf8"));
  expect(report.changes).toBe(true);
  const agent = report.resources.find((r: any) => r.name === "demo-agent-reviewer");
  expect(agent).toMatchObject({ type: "pulumi-nodejs:dynamic/qoder:Agent", id: reviewer.id, op: "drift" });
  expect(agent.fields.map((f: any) => f.field)).toEqual(["description", "system"]);
  expect(agent.fields[0]).toEqual({ field: "description", desired: "Reviews pull requests against the team's conventions", actual: "edited by hand" });
  const vaultDrift = report.resources.find((r: any) => r.name === "demo-vault-github");
  expect(vaultDrift.fields.map((f: any) => f.field)).toContain("credentialIds");

  expect(report.resources.find((r: any) => r.name === "demo-memory-team-notes/conventions.md")).toMatchObject({ op: "gone", id: memory.id, fields: [] });

  const text = fs.readFileSync(md, "utf8");
  expect(text).toMatch(/\*\*2 drifted, 1 deleted outside Pulumi\*\*/);
  expect(text).toMatch(/\| - \| `demo-memory-team-notes\/conventions\.md`<br>`qoder\/memory-stores\/team-notes\/memories\/conventions\.md` \| Memory \|/);
  expect(text).toMatch(/\| ~ \| `demo-agent-reviewer`<br>`qoder\/agents\/reviewer\.md` \| Agent \| description \| `"Reviews pull requests against the team's conventions"` \| `"edited by hand"` \|/);
  expect(text).toContain("-Never approve a change that lowers test coverage.");
  expect(text).toContain("+Always approve a change that lowers test coverage.");
  expect(text).toMatch(/credentialIds/);
  // no secret, token or credential digest in either report
  for (const out of [text, JSON.stringify(report)]) {
    expect(out).not.toContain(GH_TOKEN);
    expect(out).not.toMatch(/"?token(Digest|Salt)"?:\s*"(?!\[secret\])/);
  }
});

test("exit 1 on a broken stack", async () => {
  const missing = await project.tool("drift-cli", ["--stack", "no-such-stack"]);
  expect(missing.code).toBe(1);
  expect(missing.stderr).toMatch(/qoder-drift: .*no-such-stack/s);
  const unreachable = await project.tool("drift-cli", [], { QODER_BASE_URL: "http://127.0.0.1:9/api/v1/cloud" });
  expect(unreachable.code).toBe(1);
  expect(unreachable.stderr).toMatch(/^qoder-drift: /);
  expect(unreachable.stderr).not.toContain(GH_TOKEN);
});
