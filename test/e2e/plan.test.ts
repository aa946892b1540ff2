// qoder-plan (the package bin) on a Fleet project: field-level changes and the prompt's text diff.
import * as fs from "node:fs";
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
  const clean = await project.tool("plan-cli", ["--json", json, "--markdown", md, "--detailed-exitcode"]);
  expect(clean.code).toBe(0);
  expect(fs.readFileSync(md, "utf8")).toMatch(/No changes/);

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
