// The examples as users run them: `pulumi` in the example's directory (a scratch copy: stack
// files land beside Pulumi.yaml), the Node.js language host compiling index.ts with ts-node and
// the project's own typescript, against an emulator. No tsc step, no Automation API in between.
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { EmulatorProcess } from "../../testkit/emulator-process";
import { REPO_ROOT } from "../../testkit/paths";
import { CliProject, copyExample } from "./programs/pulumi-cli";

let emu: EmulatorProcess;
beforeAll(async () => {
  emu = await EmulatorProcess.start();
});
afterAll(async () => {
  await emu?.stop();
});

/** Asserts success, showing Pulumi's own output when it fails. */
function ok(r: { code: number; stdout: string; stderr: string }): string {
  expect({ code: r.code, out: r.code ? (r.stdout + r.stderr).slice(-3000) : "" }).toEqual({ code: 0, out: "" });
  return r.stdout;
}

test.each([
  ["quickstart", "githubMcpToken", 7],
  ["fleet", "ticketsToken", 9],
])("examples/%s: pulumi up, preview --diff, destroy in its directory (TypeScript through the host)", async (name, secretKey, resources) => {
  const p = new CliProject(copyExample(name), emu);
  try {
    ok(await p.pulumi(["stack", "init", "dev"]));
    ok(await p.pulumi(["config", "set", "--secret", secretKey, `${name}-e2e-token`]));
    const up = ok(await p.pulumi(["up", "--yes"]));
    expect(up).toContain(`+ ${resources} created`);
    expect(up).not.toContain(`${name}-e2e-token`);
    const preview = ok(await p.pulumi(["preview", "--diff", "--expect-no-changes"]));
    expect(preview).toContain(`${resources} unchanged`);

    // A type error fails the run: the program is type-checked, not just transpiled.
    const index = path.join(p.dir, "index.ts");
    fs.appendFileSync(index, '\nexport const broken: number = "not a number";\n');
    const bad = await p.pulumi(["preview"]);
    expect(bad.code).not.toBe(0);
    expect(bad.stdout + bad.stderr).toMatch(/TS2322/);
    fs.writeFileSync(index, fs.readFileSync(path.join(REPO_ROOT, "examples", name, "index.ts")));

    expect(ok(await p.pulumi(["destroy", "--yes"]))).toContain(`- ${resources} deleted`);
  } finally {
    fs.rmSync(p.dir, { recursive: true, force: true });
    p.cleanup();
  }
});

test("examples/gitops: the plan workflow's one preview (--json) feeds qoder-plan; drift on the same project", async () => {
  const p = new CliProject(copyExample("gitops"), emu);
  const preview = async () => {
    const r = await p.pulumi(["preview", "--stack", "dev", "--json"]);
    expect(r.code).toBe(0);
    fs.writeFileSync(p.file("preview.json"), r.stdout);
  };
  const plan = (...extra: string[]) => p.tool("plan-cli", ["--preview-json", p.file("preview.json"), "--json", p.file("plan.json"), "--markdown", p.file("plan.md"), "--detailed-exitcode", ...extra]);
  try {
    ok(await p.pulumi(["stack", "init", "dev"]));
    ok(await p.pulumi(["config", "set", "--secret", "githubMcpToken", "gh-gitops-e2e-token", "--stack", "dev"]));
    await preview();
    const first = await plan();
    expect(first.code).toBe(2);
    const created = JSON.parse(fs.readFileSync(p.file("plan.json"), "utf8"));
    expect(created).toMatchObject({ kind: "plan", project: "qoder-agents", stack: "dev", changes: true });
    expect(created.resources.map((r: { name: string; op: string }) => `${r.op} ${r.name}`).sort()).toEqual(["create agents", "create agents-agent-reviewer", "create agents-vault-github"]);

    ok(await p.pulumi(["up", "--yes", "--stack", "dev"]));
    // the tools open the project directory themselves: no changes, no drift
    expect((await p.tool("plan-cli", ["--cwd", p.dir, "--stack", "dev", "--detailed-exitcode"])).code).toBe(0);
    expect((await p.tool("drift-cli", ["--cwd", p.dir, "--stack", "dev"])).code).toBe(0);

    const reviewer = path.join(p.dir, "qoder", "agents", "reviewer.md");
    fs.writeFileSync(reviewer, fs.readFileSync(reviewer, "utf8").replace("Be brief.", "Be brief and kind."));
    await preview();
    expect((await plan()).code).toBe(2);
    const fromJson = JSON.parse(fs.readFileSync(p.file("plan.json"), "utf8"));
    expect(fromJson.resources).toEqual([expect.objectContaining({ name: "agents-agent-reviewer", op: "update", fields: [expect.objectContaining({ field: "system" })] })]);
    const md = fs.readFileSync(p.file("plan.md"), "utf8");
    expect(md).toContain("+Review each pull request for correctness first, then readability. Be brief and kind.");
    expect(md + JSON.stringify(fromJson)).not.toContain("gh-gitops-e2e-token");
    // qoder-plan's own preview gives the same report
    const own = await p.tool("plan-cli", ["--cwd", p.dir, "--stack", "dev", "--json", p.file("own.json"), "--markdown", p.file("own.md")]);
    expect(own.code).toBe(0);
    expect(JSON.parse(fs.readFileSync(p.file("own.json"), "utf8"))).toEqual(fromJson);
    expect(fs.readFileSync(p.file("own.md"), "utf8")).toBe(md);

    ok(await p.pulumi(["destroy", "--yes", "--stack", "dev"]));
  } finally {
    fs.rmSync(p.dir, { recursive: true, force: true });
    p.cleanup();
  }
});

test("examples/gitops: workflows and stack files are valid YAML wired to the tools' exit codes", () => {
  const dir = path.join(REPO_ROOT, "examples", "gitops");
  const load = (f: string) => parse(fs.readFileSync(path.join(dir, f), "utf8"), { uniqueKeys: true, strict: true });
  const run = (wf: any) => Object.values(wf.jobs).flatMap((j: any) => j.steps.map((s: any) => s.run ?? "")).join("\n");
  const plan = load(".github/workflows/plan.yml");
  expect(Object.keys(plan.on)).toEqual(["pull_request"]);
  const planRun = run(plan);
  // one preview per stack, read by qoder-plan; no second preview, no tsc step
  expect(planRun.match(/pulumi preview/g)).toHaveLength(1);
  expect(planRun).toMatch(/pulumi preview --stack "\$\{\{ matrix.stack \}\}" --json --non-interactive > preview.json/);
  expect(planRun).toMatch(/npx qoder-plan --preview-json preview.json --markdown plan.md --json plan.json --detailed-exitcode/);
  expect(planRun).toMatch(/\[ "\$preview" -eq 0 \] && \[ "\$code" -ne 1 \]/);
  expect(plan.permissions["pull-requests"]).toBe("write");
  const deploy = load(".github/workflows/deploy.yml");
  expect(deploy.on.push.branches).toEqual(["main"]);
  expect(deploy.jobs.prod).toMatchObject({ needs: "dev", environment: "production" });
  const drift = load(".github/workflows/drift.yml");
  expect(Object.keys(drift.on)).toEqual(["schedule", "workflow_dispatch"]);
  const steps = drift.jobs.drift.steps;
  expect(steps.find((s: any) => s.id === "drift").run).toMatch(/npx qoder-drift[\s\S]*\[ "\$code" -ne 1 \]/);
  expect(steps.find((s: any) => /issue/.test(s.name ?? "")).if).toBe("steps.drift.outputs.exit == '2'");
  for (const wf of [plan, deploy, drift]) expect(run(wf)).not.toMatch(/\btsc\b/);
  for (const stack of ["dev", "prod"]) {
    const cfg = load(`Pulumi.${stack}.yaml`).config;
    expect(cfg["qoder-agents:fleetDir"]).toBe("qoder");
    expect(JSON.stringify(cfg)).not.toMatch(/secure|token/i);
  }
});
