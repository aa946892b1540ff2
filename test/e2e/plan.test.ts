// qoder-plan (the package bin) on a Fleet project: field-level changes and the prompt's text diff.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { EmulatorProcess } from "../../testkit/emulator-process";
import { REPO_ROOT } from "../../testkit/paths";
import { disposeProject, ProjectStack, upSampleFleet } from "./programs/project";
import { CliProject } from "./programs/pulumi-cli";

let emu: EmulatorProcess;
let project: ProjectStack;

beforeAll(async () => {
  emu = await EmulatorProcess.start();
  project = await upSampleFleet("qoder-plan-e2e", emu, "gh-plan-e2e-token");
});
afterAll(async () => {
  disposeProject(project);
  await emu?.stop();
});

test("no changes, then the edited prompt as a diff, a new agent and a removed one", async () => {
  const json = project.file("plan.json");
  const md = project.file("plan.md");
  // The tools open the project itself (no scratch workspace, no Pulumi.yaml written anywhere).
  const pulumiYaml = fs.readFileSync(path.join(project.dir, "Pulumi.yaml"), "utf8");
  const tmpBefore = workspaceDirs();
  const clean = await project.tool("plan-cli", ["--json", json, "--markdown", md, "--detailed-exitcode"]);
  expect(clean.code).toBe(0);
  expect(fs.readFileSync(md, "utf8")).toMatch(/No changes/);
  expect(fs.readFileSync(path.join(project.dir, "Pulumi.yaml"), "utf8")).toBe(pulumiYaml);
  expect(workspaceDirs()).toEqual(tmpBefore);

  const agents = path.join(project.dir, "qoder", "agents");
  const reviewer = path.join(agents, "reviewer.md");
  fs.writeFileSync(reviewer, fs.readFileSync(reviewer, "utf8").replace("Never approve", "Never, ever approve"));
  fs.renameSync(path.join(agents, "triager.md"), path.join(agents, "labeler.md"));

  const plain = await project.tool("plan-cli", ["--json", json, "--markdown", md]);
  expect(plain.code).toBe(0); // changes exit 2 only with --detailed-exitcode
  const plan = await project.tool("plan-cli", ["--json", json, "--markdown", md, "--detailed-exitcode"]);
  expect(plan.code).toBe(2);
  const report = JSON.parse(fs.readFileSync(json, "utf8"));
  const byName = Object.fromEntries(report.resources.map((r: any) => [r.name, r]));
  expect(Object.keys(byName).sort()).toEqual(["demo-agent-labeler", "demo-agent-reviewer", "demo-agent-triager"]);
  expect(byName["demo-agent-labeler"].op).toBe("create");
  expect(byName["demo-agent-triager"].op).toBe("delete");
  expect(byName["demo-agent-reviewer"].op).toBe("update");
  expect(byName["demo-agent-reviewer"].fields.map((f: any) => f.field)).toEqual(["system"]);
  expect(byName["demo-agent-reviewer"].fields[0].new).toContain("Never, ever approve");

  const text = fs.readFileSync(md, "utf8");
  expect(text).toContain("```diff");
  expect(text).toContain("-Never approve a change that lowers test coverage.");
  expect(text).toContain("+Never, ever approve a change that lowers test coverage.");
  expect(text).toMatch(/\| \+ \| `demo-agent-labeler`<br>`qoder\/agents\/labeler\.md` \| Agent \|/);
  expect(text).not.toContain("gh-plan-e2e-token");
});

test("a memory store's description and its seed's content in one change: only those fields, nothing phantom", async () => {
  const qoder = path.join(project.dir, "qoder");
  const store = path.join(qoder, "memory-stores", "team-notes.yaml");
  const seed = path.join(qoder, "memory-stores", "team-notes", "memories", "conventions.md");
  const original = { store: fs.readFileSync(store, "utf8"), seed: fs.readFileSync(seed, "utf8") };
  fs.writeFileSync(store, original.store.replace(/^description: .*$/m, "description: What the reviewer should remember"));
  fs.writeFileSync(seed, original.seed + "\nSquash merges only.\n");
  try {
    const json = project.file("plan-memory.json");
    const plan = await project.tool("plan-cli", ["--json", json, "--markdown", project.file("plan-memory.md")]);
    expect(plan.code).toBe(0);
    const report = JSON.parse(fs.readFileSync(json, "utf8"));
    // (the agent edits of the test above are still in the working copy)
    const memoryish = report.resources.filter((r: any) => /Memory/.test(r.type));
    const fields = Object.fromEntries(memoryish.map((r: any) => [r.name, { op: r.op, fields: r.fields.map((f: any) => f.field) }]));
    expect(fields).toEqual({
      "demo-memstore-team-notes": { op: "update", fields: ["description"] },
      "demo-memory-team-notes/conventions.md": { op: expect.stringMatching(/^(update|replace)$/), fields: expect.arrayContaining(["content"]) },
    });
    const memory = report.resources.find((r: any) => r.name === "demo-memory-team-notes/conventions.md");
    for (const f of memory.fields) expect({ field: f.field, new: f.new }).not.toEqual({ field: f.field, new: null });
    expect(memory.fields.map((f: any) => f.field)).not.toContain("deletionPolicy");
    expect(memory.fields.map((f: any) => f.field)).not.toContain("metadata");
  } finally {
    fs.writeFileSync(store, original.store);
    fs.writeFileSync(seed, original.seed);
  }
});

/** Workspace directories in the temporary directory (the old tools made one per run). */
function workspaceDirs(): string[] {
  return fs.readdirSync(os.tmpdir()).filter((d) => d.startsWith("qoder-workspace-"));
}

test("a project it has never seen: JavaScript, main in src/, stackConfigDir and a backend named in Pulumi.yaml", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "qoder-e2e-foreign-"));
  fs.mkdirSync(path.join(dir, "src"));
  fs.mkdirSync(path.join(dir, "pulumi-state")); // a file backend's directory must exist
  fs.writeFileSync(
    path.join(dir, "Pulumi.yaml"),
    "name: foreign\nruntime: nodejs\nmain: src/program.js\nstackConfigDir: stacks\nbackend:\n  url: file://./pulumi-state\n",
  );
  fs.writeFileSync(
    path.join(dir, "src", "program.js"),
    'const qoder = require("pulumi-qoder");\nconst a = new qoder.Agent("helper", { name: "foreign-helper", model: "performance", system: process.env.FOREIGN_SYSTEM || "Helps." });\nexports.agentId = a.agentId;\n',
  );
  fs.symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
  const p = new CliProject(dir, emu, "project");
  try {
    expect((await p.pulumi(["stack", "init", "dev"])).code).toBe(0);
    const up = await p.pulumi(["up", "--yes"]);
    expect({ code: up.code, out: up.code ? up.stdout + up.stderr : "" }).toEqual({ code: 0, out: "" });
    // state and stack config where Pulumi.yaml says, relative to the project
    expect(fs.readdirSync(path.join(dir, "pulumi-state"))).toContain(".pulumi");
    expect(fs.existsSync(path.join(dir, "stacks", "Pulumi.dev.yaml"))).toBe(true);
    const cwd = ["--cwd", dir, "--stack", "dev"];
    expect((await p.tool("plan-cli", [...cwd, "--detailed-exitcode"])).code).toBe(0);
    expect((await p.tool("drift-cli", cwd)).code).toBe(0);
    p.env.FOREIGN_SYSTEM = "Helps, briefly.";
    const plan = await p.tool("plan-cli", [...cwd, "--json", p.file("plan.json"), "--detailed-exitcode"]);
    expect(plan.code).toBe(2);
    expect(JSON.parse(fs.readFileSync(p.file("plan.json"), "utf8")).resources).toEqual([
      expect.objectContaining({ name: "helper", op: "update", fields: [{ field: "system", old: "Helps.", new: "Helps, briefly." }] }),
    ]);
    expect((await p.pulumi(["destroy", "--yes"])).code).toBe(0);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    p.cleanup();
  }
});
