// A stand-in for the GitHub Actions runner, enough for examples/gitops: a job's steps in order,
// `run:` scripts through `bash -eo pipefail` as the runner does, `${{ … }}` expressions of the
// forms the kit uses, `if:`, step outputs ($GITHUB_OUTPUT) and the job summary. Actions are
// stood in for: checkout (the workspace is the checkout), setup-node (Node 22 on PATH; `cache:
// npm` needs the lock file it hashes), pulumi/actions (the CLI on PATH), upload-artifact (a
// missing file is only a warning on GitHub) and the sticky comment (its file must exist). `gh`
// is a stub on PATH that logs its arguments.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";

export interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  env?: Record<string, string>;
  with?: Record<string, string | number | boolean>;
}
interface Job {
  steps: Step[];
  env?: Record<string, string>;
  strategy?: { matrix?: Record<string, unknown[]> };
}
export interface Workflow {
  env?: Record<string, string>;
  jobs: Record<string, Job>;
}

export interface RunnerContext {
  workspace: string;
  /** The process environment of every step (PATH with node, pulumi and the stubs). */
  env: Record<string, string>;
  secrets: Record<string, string>;
  vars: Record<string, string>;
  github: Record<string, unknown>;
  log?: (line: string) => void;
  /**
   * Set after the first `npm ci` succeeds: later jobs reuse its node_modules instead of
   * reinstalling the same lock (each one costs ~25 s on a shared test machine).
   */
  installed?: boolean;
}

export interface StepResult {
  step: string;
  skipped: boolean;
  code: number;
  out: string;
  outputs: Record<string, string>;
}

export function loadWorkflow(file: string): Workflow {
  return parse(fs.readFileSync(file, "utf8"), { uniqueKeys: true, strict: true }) as Workflow;
}

/** `run:` scripts of a workflow, every job. */
export function runScripts(wf: Workflow): string[] {
  return Object.values(wf.jobs).flatMap((j) => j.steps.map((s) => s.run).filter((r): r is string => !!r));
}

type Scope = { matrix: Record<string, unknown>; steps: Record<string, { outputs: Record<string, string> }> } & Pick<RunnerContext, "secrets" | "vars" | "github">;

function lookup(scope: Scope, dotted: string): unknown {
  return dotted.split(".").reduce<unknown>((v, k) => (v && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined), scope);
}

/** The expression forms the kit uses: `a.b`, `'literal'`, `a || b`, `a == 'x'`, `always()`. */
export function evaluate(expr: string, scope: Scope): unknown {
  const e = expr.trim();
  if (e.includes("||")) return e.split("||").map((x) => evaluate(x, scope)).find((v) => v !== undefined && v !== "" && v !== null) ?? "";
  if (e.includes("==")) {
    const [a, b] = e.split("==").map((x) => evaluate(x, scope));
    return String(a ?? "") === String(b ?? "");
  }
  if (e === "always()") return true;
  if (/^'.*'$/.test(e)) return e.slice(1, -1);
  if (!/^[\w.-]+$/.test(e)) throw new Error(`workflow-runner: unsupported expression ${e}`);
  return lookup(scope, e);
}

function substitute(text: string, scope: Scope): string {
  return text.replace(/\$\{\{(.*?)\}\}/g, (_m, e: string) => String(evaluate(e, scope) ?? ""));
}

const STOOD_IN = ["actions/checkout@", "actions/setup-node@", "pulumi/actions@", "actions/upload-artifact@", "marocchino/sticky-pull-request-comment@"];

/** Runs one job of `wf` with `matrix` values; stops at the first failing step, like the runner. */
export function runJob(wf: Workflow, jobName: string, matrix: Record<string, unknown>, ctx: RunnerContext): StepResult[] {
  const job = wf.jobs[jobName];
  if (!job) throw new Error(`workflow-runner: no job ${jobName}`);
  const scope: Scope = { matrix, steps: {}, secrets: ctx.secrets, vars: ctx.vars, github: ctx.github };
  const envOf = (e?: Record<string, string>) => Object.fromEntries(Object.entries(e ?? {}).map(([k, v]) => [k, substitute(String(v), scope)]));
  const results: StepResult[] = [];
  let failed = false;
  const summary = path.join(ctx.workspace, "..", `${path.basename(ctx.workspace)}-summary.md`);
  for (const [i, step] of job.steps.entries()) {
    const label = step.name ?? step.uses ?? step.run?.split("\n")[0] ?? `step ${i}`;
    const wanted = step.if === undefined ? !failed : Boolean(evaluate(step.if.replace(/^\$\{\{|\}\}$/g, ""), scope));
    if (!wanted) {
      results.push({ step: label, skipped: true, code: 0, out: "", outputs: {} });
      continue;
    }
    if (step.uses) {
      if (!STOOD_IN.some((a) => step.uses!.startsWith(a))) throw new Error(`workflow-runner: no stand-in for ${step.uses}`);
      const problem = standIn(step, ctx.workspace);
      results.push({ step: label, skipped: false, code: problem ? 1 : 0, out: problem ?? "", outputs: {} });
      if (problem) failed = true;
      continue;
    }
    if (step.run?.trim() === "npm ci" && ctx.installed) {
      results.push({ step: label, skipped: false, code: 0, out: "(node_modules of the first npm ci)", outputs: {} });
      continue;
    }
    const outputFile = path.join(ctx.workspace, "..", `${path.basename(ctx.workspace)}-output-${i}`);
    fs.writeFileSync(outputFile, "");
    const env = { ...ctx.env, ...envOf(wf.env), ...envOf(job.env), ...envOf(step.env), GITHUB_OUTPUT: outputFile, GITHUB_STEP_SUMMARY: summary, GITHUB_WORKSPACE: ctx.workspace, CI: "true" };
    const started = Date.now();
    const r = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", substitute(step.run ?? "", scope)], { cwd: ctx.workspace, env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024, timeout: 5 * 60_000 });
    const outputs = Object.fromEntries(fs.readFileSync(outputFile, "utf8").split("\n").filter((l) => l.includes("=")).map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]));
    if (step.id) scope.steps[step.id] = { outputs };
    const code = r.status ?? 1;
    results.push({ step: label, skipped: false, code, out: `${r.stdout}${r.stderr}`, outputs });
    ctx.log?.(`${code ? "FAIL" : "ok  "} ${label} (${Date.now() - started} ms)`);
    if (code) failed = true;
    else if (step.run?.trim() === "npm ci") ctx.installed = true;
  }
  return results;
}

/** What an action checks that the kit depends on; a message when it would fail. */
function standIn(step: Step, workspace: string): string | undefined {
  const w = step.with ?? {};
  if (step.uses!.startsWith("actions/setup-node@")) {
    if (String(w["node-version"]) !== "22") return `setup-node: node-version ${w["node-version"]}, expected 22`;
    if (w.cache === "npm" && !fs.existsSync(path.join(workspace, "package-lock.json"))) return "setup-node: cache: npm needs package-lock.json (Dependencies lock file is not found)";
  }
  if (step.uses!.startsWith("marocchino/sticky-pull-request-comment@") && !fs.existsSync(path.join(workspace, String(w.path)))) return `sticky comment: no ${w.path}`;
  return undefined;
}
