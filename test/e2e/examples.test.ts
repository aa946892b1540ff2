// The examples as users run them: `pulumi` in the example's directory (a scratch copy: stack
// files land beside Pulumi.yaml), the Node.js language host compiling index.ts with ts-node and
// the project's own typescript, against an emulator. No tsc step, no Automation API in between.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { EmulatorProcess } from "../../testkit/emulator-process";
import { apiOf } from "../../testkit/inventory";
import { REPO_ROOT } from "../../testkit/paths";
import { isolatedPulumiEnv } from "../../testkit/toolchain";
import { CliProject, copyExample } from "./programs/pulumi-cli";
import { loadWorkflow, runJob, runScripts, type RunnerContext, type StepResult } from "./programs/workflow-runner";

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

test("examples/quickstart: pulumi up, preview --diff, a type error, destroy in its directory (TypeScript through the host)", async () => {
  const p = new CliProject(copyExample("quickstart"), emu);
  try {
    ok(await p.pulumi(["stack", "init", "dev"]));
    ok(await p.pulumi(["config", "set", "--secret", "githubMcpToken", "quickstart-e2e-token"]));
    const up = ok(await p.pulumi(["up", "--yes"]));
    expect(up).toContain("+ 7 created");
    expect(up).not.toContain("quickstart-e2e-token");
    const preview = ok(await p.pulumi(["preview", "--diff", "--expect-no-changes"]));
    expect(preview).toContain("7 unchanged");

    // A type error fails the run: the program is type-checked, not just transpiled.
    const index = path.join(p.dir, "index.ts");
    fs.appendFileSync(index, '\nexport const broken: number = "not a number";\n');
    const bad = await p.pulumi(["preview"]);
    expect(bad.code).not.toBe(0);
    expect(bad.stdout + bad.stderr).toMatch(/TS2322/);
    fs.writeFileSync(index, fs.readFileSync(path.join(REPO_ROOT, "examples", "quickstart", "index.ts")));

    expect(ok(await p.pulumi(["destroy", "--yes"]))).toContain("- 7 deleted");
  } finally {
    fs.rmSync(p.dir, { recursive: true, force: true });
    p.cleanup();
  }
});

// Deploying a Fleet through the CLI is fleet.test.ts's (and the gitops kit's below): here, that
// the example compiles through the host and plans its nine resources, with nothing sent.
test("examples/fleet: pulumi preview --diff in its directory plans its resources and writes nothing", async () => {
  const p = new CliProject(copyExample("fleet"), emu);
  const api = apiOf(emu);
  try {
    const before = (await api.agents.list().toArray()).length;
    ok(await p.pulumi(["stack", "init", "dev"]));
    ok(await p.pulumi(["config", "set", "--secret", "ticketsToken", "fleet-e2e-token"]));
    const preview = ok(await p.pulumi(["preview", "--diff"]));
    expect(preview).toContain("+ 9 to create");
    expect(preview).not.toContain("fleet-e2e-token");
    expect((await api.agents.list().toArray()).length).toBe(before);
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
  expect(planRun).toMatch(/pulumi preview --stack "\$STACK_PREFIX\/\$\{\{ matrix.stack \}\}" --json --non-interactive > preview.json/);
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

test("examples/gitops as copied: lock file, commands and flags that exist, the workflows' steps in order against the emulator", async () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "qoder-e2e-kit-"));
  try {
    // A new repository: the kit copied, the package vendored by the kit's script (no build here:
    // dist/ is fresh, and a build would race the other test workers), committed.
    const kit = path.join(scratch, "my-agents");
    fs.cpSync(path.join(REPO_ROOT, "examples", "gitops"), kit, { recursive: true });
    const env: Record<string, string> = { ...isolatedPulumiEnv(scratch, emu), PULUMI_BACKEND_URL: `file://${path.join(scratch, "state")}`, npm_config_prefer_offline: "true", npm_config_audit: "false", npm_config_fund: "false" };
    fs.mkdirSync(path.join(scratch, "state"));
    execFileSync("bash", [path.join(kit, "scripts", "vendor-pulumi-qoder.sh"), REPO_ROOT], { env: { ...env, npm_config_ignore_scripts: "true" }, stdio: "pipe", timeout: 5 * 60_000 });
    expect(fs.readdirSync(path.join(kit, "vendor"))).toEqual(["pulumi-qoder-0.1.0.tgz"]);
    const git = (...args: string[]) => execFileSync("git", ["-c", "user.email=ci@example.com", "-c", "user.name=ci", ...args], { cwd: kit, stdio: "pipe" });
    git("init", "-q");
    git("add", "-A");
    git("commit", "-qm", "Qoder agents");

    // `gh` stands in as a stub that logs its calls (the issue list is empty).
    const bin = path.join(scratch, "bin");
    fs.mkdirSync(bin);
    fs.writeFileSync(path.join(bin, "gh"), `#!/bin/sh\necho "$*" >> ${JSON.stringify(path.join(scratch, "gh.log"))}\n`, { mode: 0o755 });
    const ctx: RunnerContext = {
      workspace: kit,
      env: { ...env, PATH: `${bin}${path.delimiter}${env.PATH}` },
      // Pulumi Cloud and the real service are stood in for by a file backend (whose stacks are
      // qualified with the literal organisation "organization") and the emulator.
      secrets: { PULUMI_ACCESS_TOKEN: "", QODER_PAT: emu.token, GITHUB_MCP_TOKEN: "gh-kit-e2e-token" },
      vars: { PULUMI_ORG: "organization" },
      github: { repository_owner: "acme", token: "ghs_stub", event: { pull_request: { number: 7 } } },
      log: process.env.QODER_E2E_VERBOSE ? (l) => process.stderr.write(`${l}\n`) : undefined,
    };
    const wf = (name: string) => loadWorkflow(path.join(kit, ".github", "workflows", `${name}.yml`));
    const [plan, deploy, drift] = [wf("plan"), wf("deploy"), wf("drift")];
    const ran = (rs: StepResult[]) => rs.filter((r) => !r.skipped).map((r) => `${r.code} ${r.step}`);
    const failures = (rs: StepResult[]) => rs.filter((r) => !r.skipped && r.code !== 0).map((r) => `${r.step}: ${r.out.slice(-1500)}`);

    // A pull request: npm ci from the lock, the stacks created, one preview each, a plan to post.
    for (const stack of ["dev", "prod"]) {
      const r = runJob(plan, "plan", { stack }, ctx);
      expect(failures(r)).toEqual([]);
      expect(r.find((s) => s.step === "Preview and field-level plan")?.outputs.exit).toBe("2");
      expect(fs.readFileSync(path.join(kit, "plan.md"), "utf8")).toContain(`### Qoder plan: stack \`${stack}\``);
    }
    expect(fs.readFileSync(path.join(kit, "plan.md"), "utf8")).toContain("| + | `agents-agent-reviewer`<br>`qoder/agents/reviewer.md` | Agent | model | | `\"performance\"` |");

    // Every command the workflows run exists (npm ci installed the tools), with the flags they pass.
    const scripts = [plan, deploy, drift].flatMap(runScripts).join("\n");
    for (const [, tool, args] of scripts.matchAll(/npx (qoder-[a-z]+)([^\n|>;&]*)/g)) {
      const usage = execFileSync(path.join(kit, "node_modules", ".bin", tool), ["--help"], { env: ctx.env, encoding: "utf8" });
      for (const flag of args.match(/--[a-z-]+/g) ?? []) expect(`${tool} ${usage.includes(flag) ? "" : "lacks "}${flag}`).toBe(`${tool} ${flag}`);
    }
    for (const [, sub, args] of scripts.matchAll(/pulumi ((?:stack select|config set|preview|up))([^\n|>;&]*)/g)) {
      const usage = execFileSync("pulumi", [...sub.split(" "), "--help"], { env: ctx.env, encoding: "utf8" });
      for (const flag of args.match(/--[a-z-]+/g) ?? []) expect(`pulumi ${sub} ${usage.includes(flag) ? "" : "lacks "}${flag}`).toBe(`pulumi ${sub} ${flag}`);
    }

    // The merge: dev up, the agent tests, prod up.
    const dev = runJob(deploy, "dev", {}, ctx);
    expect(ran(dev).slice(0, 6)).toEqual(["0 actions/checkout@v4", "0 actions/setup-node@v4", "0 npm ci", "0 pulumi/actions@v6", "0 Select the stack (created on the first run)", "0 pulumi config set --secret githubMcpToken \"$GITHUB_MCP_TOKEN\" --stack \"$STACK_PREFIX/dev\""]);
    expect(dev[6]).toMatchObject({ step: expect.stringMatching(/^pulumi up/), code: 0 });
    // The emulator's agent is scripted, not a reviewer: its cases may fail (2), never error (1).
    expect([0, 2]).toContain(dev.find((s) => s.step === "Agent tests against dev")?.code);
    expect(fs.existsSync(path.join(kit, "qoder-test.xml"))).toBe(true);
    expect(failures(runJob(deploy, "prod", {}, ctx))).toEqual([]);

    // Nightly: no drift; then a console edit, and the issue is opened.
    const clean = runJob(drift, "drift", { stack: "dev" }, ctx);
    expect(failures(clean)).toEqual([]);
    expect(clean.find((s) => s.step === "Drift check")?.outputs.exit).toBe("0");
    const api = apiOf(emu);
    // Both stacks deployed a reviewer to the one emulator: the console edit hits both.
    for (const a of (await api.agents.list().toArray()).filter((x) => x.name === "reviewer")) await api.agents.update(a.id, { version: a.version, system: "Approve everything." });
    const drifted = runJob(drift, "drift", { stack: "dev" }, ctx);
    expect(failures(drifted)).toEqual([]);
    expect(drifted.find((s) => s.step === "Drift check")?.outputs.exit).toBe("2");
    expect(fs.readFileSync(path.join(scratch, "gh.log"), "utf8").split("\n")).toEqual(expect.arrayContaining([
      expect.stringMatching(/^label create qoder-drift --force/),
      "issue create --title Qoder drift in stack dev --label qoder-drift --body-file drift.md",
    ]));
    for (const f of ["plan.md", "plan.json", "drift.md", "drift.json"]) expect(fs.readFileSync(path.join(kit, f), "utf8")).not.toContain("gh-kit-e2e-token");

    // A wrong model name fails the deploy in its check (before any write), naming the file, the
    // agent's resource and the valid ids.
    const file = path.join(kit, "qoder", "agents", "reviewer.md");
    fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace("model: performance", "model: performence"));
    const up = runJob(deploy, "dev", {}, ctx).find((r) => /^pulumi up/.test(r.step));
    expect(up?.code).not.toBe(0);
    expect(up?.out).toMatch(/resource 'agents-agent-reviewer': property model .*has a problem: qoder\/agents\/reviewer\.md: model: "performence" is not a model this account may use; valid ids: ultimate, performance, efficient, lite, auto/);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
});
