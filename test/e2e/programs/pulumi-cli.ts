// The `pulumi` CLI in a project directory, as a user types it: the CLI starts the Node.js
// language host, which runs the project's main (TypeScript through ts-node). Used by the
// examples and tools tests; the environment comes from testkit (isolated home, emulator).
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { EmulatorProcess } from "../../../testkit/emulator-process";
import { REPO_ROOT } from "../../../testkit/paths";
import { isolatedPulumiEnv } from "../../../testkit/toolchain";

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export class CliProject {
  readonly scratch = fs.mkdtempSync(path.join(os.tmpdir(), "qoder-e2e-cli-"));
  readonly env: Record<string, string>;

  /** `backend`: "env" sets PULUMI_BACKEND_URL to a scratch state dir; "project" leaves it to Pulumi.yaml. */
  constructor(readonly dir: string, emulator: EmulatorProcess, backend: "env" | "project" = "env") {
    const env: Record<string, string> = { ...isolatedPulumiEnv(this.scratch, emulator), QODER_PAT: emulator.token, QODER_MAX_RETRIES: "0" };
    delete env.PULUMI_BACKEND_URL;
    if (backend === "env") {
      fs.mkdirSync(path.join(this.scratch, "state"));
      env.PULUMI_BACKEND_URL = `file://${path.join(this.scratch, "state")}`;
    }
    this.env = env;
  }

  /** `pulumi <args>` with the project directory as the working directory. */
  pulumi(args: string[], stdin?: string): Promise<CliRun> {
    return this.exec("pulumi", [...args, "--non-interactive"], this.dir, stdin);
  }

  /** dist/tools/<tool>.js (the qoder-plan / qoder-drift bins), started from the repository. */
  tool(tool: "plan-cli" | "drift-cli", args: string[]): Promise<CliRun> {
    return this.exec(process.execPath, [path.join(REPO_ROOT, "dist", "tools", `${tool}.js`), ...args], REPO_ROOT);
  }

  file(name: string): string {
    return path.join(this.scratch, name);
  }

  cleanup(): void {
    fs.rmSync(this.scratch, { recursive: true, force: true });
  }

  private exec(cmd: string, args: string[], cwd: string, stdin?: string): Promise<CliRun> {
    return new Promise((resolve) => {
      const child = execFile(cmd, args, { cwd, env: this.env, maxBuffer: 64 * 1024 * 1024, timeout: 300_000 }, (err, stdout, stderr) => {
        const code = err ? (typeof (err as { code?: unknown }).code === "number" ? (err as { code: number }).code : 1) : 0;
        resolve({ code, stdout, stderr });
      });
      if (stdin !== undefined) child.stdin?.end(stdin);
    });
  }
}

/** A copy of examples/<name> in a scratch directory (stack files land beside its Pulumi.yaml). */
export function copyExample(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `qoder-e2e-example-${name}-`));
  fs.cpSync(path.join(REPO_ROOT, "examples", name), dir, { recursive: true });
  // What `npm install` in the example gives: pulumi-qoder, @pulumi/pulumi and typescript 5.
  fs.symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
  return dir;
}
