// Jest-side helper for project directories (Pulumi.yaml + program), run the way users run them:
// `up`/`preview`/`destroy` through testkit's runner (the CLI's language host runs the project's
// main), and the qoder-drift / qoder-plan executables.
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { EmulatorProcess } from "../../../testkit/emulator-process";
import { REPO_ROOT, RUNNER } from "../../../testkit/paths";
import { writeModuleProject } from "../../../testkit/project-dir";
import type { Job } from "../../../testkit/runner";
import type { OpResult } from "../../../testkit/stack";
import { isolatedPulumiEnv, resolveToolchain } from "../../../testkit/toolchain";

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export class ProjectStack {
  readonly scratch = fs.mkdtempSync(path.join(os.tmpdir(), "qoder-e2e-project-"));
  readonly env: Record<string, string>;

  constructor(
    readonly dir: string,
    emulator: EmulatorProcess,
    readonly stack = "dev",
  ) {
    fs.mkdirSync(path.join(this.scratch, "state"));
    this.env = {
      ...isolatedPulumiEnv(this.scratch, emulator),
      PULUMI_BACKEND_URL: `file://${path.join(this.scratch, "state")}`,
      QODER_PAT: emulator.token,
      QODER_MAX_RETRIES: "0",
    };
  }

  private exec(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
    return new Promise((resolve) => {
      execFile(process.execPath, args, { cwd: REPO_ROOT, env: { ...this.env, ...env }, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) =>
        resolve({ code: err ? ((err as any).code ?? 1) : 0, stdout, stderr }),
      );
    });
  }

  async run(op: "up" | "preview" | "destroy" | "setConfig", config?: Record<string, { value: string; secret?: boolean }>): Promise<OpResult> {
    const job: Job = { op, workDir: this.dir, stack: this.stack, pulumiRoot: path.dirname(resolveToolchain().pulumiDir), config };
    const r = await this.exec([RUNNER, JSON.stringify(job)]);
    const line = r.stdout.split("\n").reverse().find((l) => l.startsWith("E2E_RESULT "));
    if (!line) throw new Error(`project runner produced no result:\n${r.stdout}\n${r.stderr}`);
    const res = JSON.parse(line.slice("E2E_RESULT ".length));
    if (!res.ok) throw new Error(`${op} failed: ${res.error}`);
    return { events: [], log: "", ...res, raw: r.stdout + r.stderr };
  }

  /** Runs dist/tools/<tool>.js (the package's qoder-drift / qoder-plan bins). */
  tool(tool: "drift-cli" | "plan-cli", args: string[], env: Record<string, string> = {}): Promise<CliResult> {
    return this.exec([path.join(REPO_ROOT, "dist", "tools", `${tool}.js`), "--cwd", this.dir, "--stack", this.stack, ...args], env);
  }

  file(name: string): string {
    return path.join(this.scratch, name);
  }

  cleanup(): void {
    fs.rmSync(this.scratch, { recursive: true, force: true });
  }
}

/**
 * A throwaway project whose index.js runs a compiled program, plus copied folders. The provider
 * host runs in the project and loads @pulumi/pulumi and pulumi-qoder from its node_modules.
 */
export function makeProject(name: string, main: string, copy: Record<string, string> = {}): string {
  const dir = writeModuleProject(fs.mkdtempSync(path.join(os.tmpdir(), `qoder-e2e-${name}-`)), name, main);
  for (const [to, from] of Object.entries(copy)) fs.cpSync(from, path.join(dir, to), { recursive: true });
  return dir;
}

/** The root program (a Fleet over a copy of qoder/) as project `name`, after one `up`. */
export async function upSampleFleet(name: string, emulator: EmulatorProcess, githubToken: string): Promise<ProjectStack> {
  const dir = makeProject(name, path.join(REPO_ROOT, "dist", "gitops", "index.js"), { qoder: path.join(REPO_ROOT, "qoder") });
  const project = new ProjectStack(dir, emulator);
  await project.run("up", { [`${name}:githubMcpToken`]: { value: githubToken, secret: true } });
  return project;
}

export function disposeProject(project: ProjectStack | undefined): void {
  if (project) fs.rmSync(project.dir, { recursive: true, force: true });
  project?.cleanup();
}
