// Opens a stack of a project directory the way `pulumi` in that directory does: a LocalWorkspace
// on the project's workDir with no inline program, so the CLI runs the program through the
// Node.js language host and reads Pulumi.yaml itself (main, TypeScript, stackConfigDir, backend).
import * as fs from "node:fs";
import * as path from "node:path";
import * as auto from "@pulumi/pulumi/automation";

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
  /** The project's name, from its Pulumi.yaml. */
  projectName: string;
}

/**
 * The CLI's children inherit this PATH: the language host and the provider run the first `node`
 * on it, which must be this Node (>= 22, checked by every entry point); a CLI built from source
 * has no bundled pulumi-resource-pulumi-nodejs, so @pulumi/pulumi's copy goes on PATH too.
 */
export function toolEnv(pulumiDir?: string): Record<string, string> {
  const plugin = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
  const dirs = [path.dirname(process.execPath), plugin, pulumiDir ?? process.env.PULUMI_QODER_CLI_DIR].filter((d): d is string => !!d);
  return { PATH: [...dirs, process.env.PATH ?? ""].join(path.delimiter), PULUMI_SKIP_UPDATE_CHECK: "true" };
}

export async function openStack(o: OpenOptions): Promise<OpenStack> {
  const workDir = path.resolve(o.cwd);
  if (!["Pulumi.yaml", "Pulumi.yml", "Pulumi.json"].some((f) => fs.existsSync(path.join(workDir, f)))) {
    throw new Error(`${workDir}: no Pulumi.yaml (pass the project directory with --cwd)`);
  }
  const env = { ...toolEnv(o.pulumiDir), ...o.envVars };
  const pulumiCommand = await auto.PulumiCommand.get({ root: pulumiRoot(env.PATH), skipVersionCheck: false });
  const args: auto.LocalProgramArgs = { stackName: o.stack, workDir };
  const options: auto.LocalWorkspaceOptions = { workDir, pulumiCommand, envVars: env };
  const stack = o.create ? await auto.LocalWorkspace.createOrSelectStack(args, options) : await auto.LocalWorkspace.selectStack(args, options);
  const settings = await stack.workspace.projectSettings();
  return { stack, projectName: settings.name };
}

/** PulumiCommand wants the install root (the parent of bin/) of the first `pulumi` on PATH. */
function pulumiRoot(searchPath: string): string | undefined {
  for (const dir of searchPath.split(path.delimiter)) {
    if (dir && fs.existsSync(path.join(dir, "pulumi"))) return path.dirname(dir);
  }
  return undefined;
}
