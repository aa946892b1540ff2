// qoder-plan (the package bin) on a Fleet project: field-level changes and the prompt's text diff.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { EmulatorProcess } from "./harness/emulator-process";
import { disposeProject, ProjectStack, upSampleFleet } from "./programs/project";

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
  // The workspace used to be $TMPDIR/qoder-workspace-<hash of the project dir>: anyone on the
  // machine could plant a symlink there and have Pulumi.yaml written where it points.
  const planted = fs.mkdtempSync(path.join(os.tmpdir(), "qoder-e2e-planted-"));
  const predictable = path.join(os.tmpdir(), `qoder-workspace-${createHash("sha256").update(project.dir).digest("hex").slice(0, 12)}`);
  fs.rmSync(predictable, { recursive: true, force: true }); // left by the old code's `up` in beforeAll
  fs.symlinkSync(planted, predictable, "dir");
  try {
    const clean = await project.tool("plan-cli", ["--json", json, "--markdown", md, "--detailed-exitcode"]);
    expect(clean.code).toBe(0);
    expect(fs.readFileSync(md, "utf8")).toMatch(/No changes/);
    expect(fs.readdirSync(planted)).toEqual([]);
    // the private workspace is gone afterwards
    expect(workspacesOf(project.dir)).toEqual([]);
  } finally {
    fs.rmSync(predictable, { force: true });
    fs.rmSync(planted, { recursive: true, force: true });
  }

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
  expect(text).toMatch(/\| \+ \| `demo-agent-labeler` \| Agent \|/);
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

/** Workspace directories the tools left in the temporary directory for the project in `dir`. */
function workspacesOf(dir: string): string[] {
  return fs
    .readdirSync(os.tmpdir())
    .filter((d) => d.startsWith("qoder-workspace-"))
    .filter((d) => {
      const file = path.join(os.tmpdir(), d, "Pulumi.yaml");
      return fs.existsSync(file) && fs.readFileSync(file, "utf8").includes(dir);
    });
}
