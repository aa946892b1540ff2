// The examples as users run them: up, a clean preview, destroy, against an emulator. Each is
// copied to a scratch directory (stack config files land next to Pulumi.yaml) and pointed at
// its compiled program in dist/.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { EmulatorProcess } from "./harness/emulator-process";
import { REPO_ROOT } from "./harness/paths";
import { changed } from "./harness/stack";
import { ProjectStack } from "./programs/project";

let emu: EmulatorProcess;
beforeAll(async () => {
  emu = await EmulatorProcess.start();
});
afterAll(async () => {
  await emu?.stop();
});

function copyExample(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `qoder-e2e-example-${name}-`));
  fs.cpSync(path.join(REPO_ROOT, "examples", name), dir, { recursive: true });
  fs.appendFileSync(path.join(dir, "Pulumi.yaml"), `main: ${path.join(REPO_ROOT, "dist", "examples", name, "index.js")}\n`);
  fs.symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
  return dir;
}

test.each([
  ["quickstart", "qoder-quickstart:githubMcpToken", 7],
  ["fleet", "qoder-fleet:ticketsToken", 9],
])("examples/%s: up, clean preview, destroy", async (name, secretKey, resources) => {
  const project = new ProjectStack(copyExample(name), emu);
  try {
    const up = await project.run("up", { [secretKey]: { value: `${name}-e2e-token`, secret: true } });
    expect(up.summary).toEqual({ create: resources });
    expect(changed((await project.run("preview")).summary)).toBe(0);
    const down = await project.run("destroy");
    expect(down.summary).toEqual({ delete: resources });
  } finally {
    fs.rmSync(project.dir, { recursive: true, force: true });
    project.cleanup();
  }
});

test("examples/gitops: workflows and stack files are valid YAML wired to the tools' exit codes", () => {
  const dir = path.join(REPO_ROOT, "examples", "gitops");
  const load = (f: string) => parse(fs.readFileSync(path.join(dir, f), "utf8"), { uniqueKeys: true, strict: true });
  const run = (wf: any) => Object.values(wf.jobs).flatMap((j: any) => j.steps.map((s: any) => s.run ?? "")).join("\n");
  const plan = load(".github/workflows/plan.yml");
  expect(Object.keys(plan.on)).toEqual(["pull_request"]);
  expect(run(plan)).toMatch(/npx qoder-plan --stack "\$\{\{ matrix.stack \}\}" --markdown plan.md --json plan.json --detailed-exitcode/);
  expect(plan.permissions["pull-requests"]).toBe("write");
  const deploy = load(".github/workflows/deploy.yml");
  expect(deploy.on.push.branches).toEqual(["main"]);
  expect(deploy.jobs.prod).toMatchObject({ needs: "dev", environment: "production" });
  const drift = load(".github/workflows/drift.yml");
  expect(Object.keys(drift.on)).toEqual(["schedule", "workflow_dispatch"]);
  const steps = drift.jobs.drift.steps;
  expect(steps.find((s: any) => s.id === "drift").run).toMatch(/npx qoder-drift[\s\S]*\[ "\$code" -ne 1 \]/);
  expect(steps.find((s: any) => /issue/.test(s.name ?? "")).if).toBe("steps.drift.outputs.exit == '2'");
  for (const stack of ["dev", "prod"]) {
    const cfg = load(`Pulumi.${stack}.yaml`).config;
    expect(cfg["qoder-agents:fleetDir"]).toBe("qoder");
    expect(JSON.stringify(cfg)).not.toMatch(/secure|token/i);
  }
});
