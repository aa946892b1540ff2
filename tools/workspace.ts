// Opens a stack of a project directory through the Automation API with an inline program that
// requires the project's compiled main module: no nodejs language host needed.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as auto from "@pulumi/pulumi/automation";
import { readProject, type ProjectInfo } from "./project";

export interface OpenOptions {
  /** Project directory (holds Pulumi.yaml). */
  cwd: string;
  stack: string;
  /** Create the stack when missing (default: it must exist). */
  create?: boolean;
  /** Directory of the `pulumi` binary; default: PULUMI_QODER_CLI_DIR or PATH. */
  pulumiDir?: string;
  envVars?: Record<string, string>;
}

export interface OpenStack {
  stack: auto.Stack;
  project: ProjectInfo;
  /** Removes the private workspace directory; call when done with the stack. */
  dispose(): void;
}

/** Pulumi's nodejs semantics: a default-exported function is called; otherwise the exports are the outputs. */
export function programFor(main: string, projectDir: string): auto.PulumiFn {
  return async () => {
    // A fresh module each run, so one process can run several operations.
    for (const k of Object.keys(require.cache)) if (k.startsWith(projectDir) && !k.includes(`${path.sep}node_modules${path.sep}`)) delete require.cache[k];
    const mod = require(main);
    if (typeof mod.default === "function") return mod.default();
    const { __esModule: _e, default: _d, ...exports } = mod;
    return exports;
  };
}

/**
 * The provider host runs `node` and needs pulumi-resource-pulumi-nodejs (in @pulumi/pulumi),
 * which a CLI built from source does not bundle: both go on PATH for the CLI's children.
 */
export function toolEnv(pulumiDir?: string): Record<string, string> {
  const plugin = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
  const dirs = [path.dirname(process.execPath), plugin, pulumiDir ?? process.env.PULUMI_QODER_CLI_DIR].filter((d): d is string => !!d);
  return { PATH: [...dirs, process.env.PATH ?? ""].join(path.delimiter), PULUMI_SKIP_UPDATE_CHECK: "true" };
}

export async function openStack(o: OpenOptions): Promise<OpenStack> {
  const project = readProject(o.cwd);
  // PULUMI_BACKEND_URL, when set, wins over Pulumi.yaml's backend (CI, tests, the demo's data dir).
  const backend = o.envVars?.PULUMI_BACKEND_URL ?? process.env.PULUMI_BACKEND_URL ?? project.backendUrl;
  const env: Record<string, string> = { ...toolEnv(o.pulumiDir), ...o.envVars, ...(backend ? { PULUMI_BACKEND_URL: backend } : {}) };
  // The program runs in this process: relative paths in it resolve against the project.
  process.chdir(project.dir);
  const pulumiCommand = await auto.PulumiCommand.get({ root: pulumiRoot(env.PATH ?? ""), skipVersionCheck: false });
  const args = { stackName: o.stack, projectName: project.name, program: programFor(project.main, project.dir) };
  const workDir = privateWorkDir();
  const dispose = () => fs.rmSync(workDir, { recursive: true, force: true });
  try {
    const options = workspaceOptions(project, pulumiCommand, env, workDir);
    const stack = o.create ? await auto.LocalWorkspace.createOrSelectStack(args, options) : await auto.LocalWorkspace.selectStack(args, options);
    return { stack, project, dispose };
  } catch (e) {
    dispose();
    throw e;
  }
}

/** Opens the stack, runs `fn`, and always removes the workspace directory afterwards. */
export async function withStack<T>(o: OpenOptions, fn: (s: OpenStack) => Promise<T>): Promise<T> {
  const opened = await openStack(o);
  try {
    return await fn(opened);
  } finally {
    opened.dispose();
  }
}

/**
 * A fresh directory only this user can enter (mkdtemp: random name, mode 0700). A predictable
 * name in the shared temporary directory would let another user plant a symlink there and have
 * the Automation API write Pulumi.yaml (and read settings) wherever it points.
 */
export function privateWorkDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "qoder-workspace-"));
}

/**
 * The engine runs the provider host in the directory of `main`, so `main` must be the project
 * directory (relative skill paths resolve there), while Pulumi.yaml's own `main` names the
 * compiled program. The workspace therefore lives in a scratch directory (the Automation API
 * writes its Pulumi.yaml there, never over the project's) and points back at the project's
 * stack config files.
 */
function workspaceOptions(project: ProjectInfo, pulumiCommand: auto.PulumiCommand, envVars: Record<string, string>, workDir: string): auto.LocalWorkspaceOptions {
  const { backend: _b, main: _m, stackConfigDir: _s, ...settings } = project.settings;
  return {
    workDir,
    pulumiCommand,
    envVars,
    projectSettings: {
      ...settings,
      name: project.name,
      runtime: settings.runtime ?? "nodejs",
      main: project.dir,
      stackConfigDir: path.relative(workDir, project.stackConfigDir) || ".",
    } as auto.ProjectSettings,
  };
}

/** PulumiCommand wants the install root (the parent of bin/) of the first `pulumi` on PATH. */
function pulumiRoot(searchPath: string): string | undefined {
  for (const dir of searchPath.split(path.delimiter)) {
    if (dir && fs.existsSync(path.join(dir, "pulumi"))) return path.dirname(dir);
  }
  return undefined;
}
