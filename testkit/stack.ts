// Jest-side helper: a Pulumi stack of a generated project directory (Pulumi.yaml + index.js that
// runs one compiled program of test/e2e/programs), on a local file backend, driven through the
// runner process; the CLI's nodejs language host runs the program.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Job } from "./runner";
import { PROGRAMS, REPO_ROOT, RUNNER } from "./paths";
import { writeProgramProject } from "./project-dir";
import { isolatedPulumiEnv, resolveToolchain } from "./toolchain";
import type { EmulatorProcess } from "./emulator-process";
import type { StepEvent } from "../tools/events";
import { fieldChanges } from "../tools/field-changes";

export interface OpResult {
  ok: boolean;
  error?: string;
  stderr?: string;
  summary?: Record<string, number>;
  outputs?: Record<string, any>;
  events: StepEvent[];
  state?: any;
  log: string;
  /** Everything the runner process printed (Pulumi output and provider stderr). */
  raw: string;
}

export { PASSPHRASE } from "./toolchain";

export class TestStack {
  readonly dir: string;
  /** The project the CLI runs: Pulumi.yaml, index.js, stack config (Pulumi.e2e.yaml). */
  readonly projectDir: string;
  private readonly argsFile: string;
  private args: unknown = {};
  readonly env: Record<string, string>;

  constructor(
    readonly program: string,
    readonly emulator: EmulatorProcess,
    opts: { name?: string; env?: Record<string, string> } = {},
  ) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), `qoder-e2e-${opts.name ?? program}-`));
    fs.mkdirSync(path.join(this.dir, "state"));
    this.argsFile = path.join(this.dir, "args.json");
    this.projectDir = writeProgramProject(path.join(this.dir, "work"), "qoder-e2e", path.join(PROGRAMS, `${program}.js`), this.argsFile);
    const t = resolveToolchain();
    this.env = {
      ...isolatedPulumiEnv(this.dir, emulator),
      PULUMI_BACKEND_URL: `file://${path.join(this.dir, "state")}`,
      PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "false",
      ...opts.env,
    };
    delete this.env.QODER_PAT; // the token comes from secret stack config unless a test says otherwise
    this.pulumiRoot = path.dirname(t.pulumiDir);
  }
  private readonly pulumiRoot: string;

  setArgs(args: unknown): this {
    this.args = args;
    return this;
  }

  private job(op: Job["op"], extra: Partial<Job> = {}): Job {
    return {
      op,
      stack: "e2e",
      workDir: this.projectDir,
      pulumiRoot: this.pulumiRoot,
      ...extra,
    };
  }

  run(op: Job["op"], extra: Partial<Job> = {}): Promise<OpResult> {
    return this.start(op, extra).result;
  }

  /**
   * Starts an operation without waiting: `pid` is the runner's, so a test can kill the whole
   * tree mid-flight (see process-tree.ts). A killed runner resolves with `ok: false`.
   */
  start(op: Job["op"], extra: Partial<Job> = {}): { pid: number; result: Promise<OpResult> } {
    const job = this.job(op, extra);
    // The project's index.js reads the arguments when the host runs it.
    fs.writeFileSync(this.argsFile, JSON.stringify(this.args));
    const child = spawn(process.execPath, [RUNNER, JSON.stringify(job)], {
      cwd: REPO_ROOT,
      env: this.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
    const result = new Promise<OpResult>((resolve, reject) => {
      child.on("error", reject);
      child.on("close", (code, signal) => {
        const line = stdout.split("\n").reverse().find((l) => l.startsWith("E2E_RESULT "));
        if (line) return resolve({ events: [], log: "", ...JSON.parse(line.slice("E2E_RESULT ".length)), raw: stdout + stderr });
        if (signal) return resolve({ ok: false, error: `runner killed by ${signal}`, events: [], log: "", raw: stdout + stderr });
        reject(new Error(`runner produced no result (exit ${code}):\n${stdout}\n${stderr}`));
      });
    });
    return { pid: child.pid!, result };
  }

  /** Like run, but a failed operation fails the test with Pulumi's own words. */
  async ok(op: Job["op"], extra: Partial<Job> = {}): Promise<OpResult> {
    const r = await this.run(op, extra);
    if (!r.ok) throw new Error(`pulumi ${op} failed: ${r.error}\n${r.stderr ?? ""}\n${r.log}`);
    return r;
  }

  async configureToken(): Promise<void> {
    await this.ok("setConfig", { config: { "qoder:token": { value: this.emulator.token, secret: true } } });
  }

  up(refresh = false) {
    return this.ok("up", { refresh });
  }
  preview(refresh = false) {
    return this.ok("preview", { refresh });
  }
  previewRefresh() {
    return this.ok("previewRefresh");
  }
  refresh() {
    return this.ok("refresh");
  }
  destroy() {
    return this.ok("destroy");
  }
  /** The deployment as the Automation API exports it. Note: it decrypts secrets (--show-secrets). */
  async exportState(): Promise<any> {
    return (await this.ok("export")).state;
  }

  /** Every byte the file backend wrote (checkpoints, history, backups): the state at rest. */
  stateFiles(): string {
    const walk = (dir: string): string[] =>
      fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const p = path.join(dir, e.name);
        return e.isDirectory() ? walk(p) : [fs.readFileSync(p, "utf8")];
      });
    return walk(path.join(this.dir, "state")).join("\n");
  }

  cleanup(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Resources of a given type in an exported deployment. */
export function resourcesOf(state: any, type: string): any[] {
  return (state?.deployment?.resources ?? []).filter((r: any) => r.type === type);
}

export function changed(summary: Record<string, number> | undefined): number {
  return Object.entries(summary ?? {}).filter(([k]) => k !== "same").reduce((n, [, v]) => n + v, 0);
}

/** "op name [diffs]" of every step that is not `same`: readable failures for "no changes" checks. */
export function stepsWithChanges(r: OpResult): string[] {
  return r.events.filter((e) => e.op !== "same" && e.op !== "refresh").map((e) => `${e.op} ${e.urn.split("::").pop()} [${e.diffs.join(",")}]`);
}

/**
 * "name: field, field" for each resource a refresh changed (names only: values may be secret).
 * Refresh events carry no diff list, so the fields are compared from the outputs.
 */
export function refreshDrift(r: OpResult): string[] {
  return r.events
    .map((e) => ({ name: e.urn.split("::").pop(), fields: fieldChanges(e.old?.outputs, e.new?.outputs).map((c) => c.field) }))
    .filter((d) => d.fields.length)
    .map((d) => `${d.name}: ${d.fields.join(", ")}`);
}
