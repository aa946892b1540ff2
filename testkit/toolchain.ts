// Finds (or builds, the first time) the tools the e2e tests need: Node >= 22 and a Pulumi CLI,
// through the same scripts CI and the demo use.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "./paths";

function script(name: string): string {
  return execFileSync("bash", [path.join(REPO_ROOT, "scripts", name)], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    maxBuffer: 16 * 1024 * 1024,
  }).trim();
}

export interface Toolchain {
  nodeDir: string;
  pulumiDir: string;
  /** Holds pulumi-resource-pulumi-nodejs, the plugin that hosts dynamic providers. */
  pluginDir: string;
}

export function resolveToolchain(): Toolchain {
  return {
    nodeDir: process.env.PULUMI_QODER_NODE_DIR || script("ensure-node"),
    pulumiDir: process.env.PULUMI_QODER_CLI_DIR || script("ensure-pulumi"),
    pluginDir: path.join(REPO_ROOT, "node_modules", "@pulumi", "pulumi"),
  };
}

/** PATH for every process that must see our Node, the CLI and the nodejs dynamic plugin. */
export function toolPath(t: Toolchain, base = process.env.PATH ?? ""): string {
  return [t.nodeDir, t.pulumiDir, t.pluginDir, base].join(path.delimiter);
}

export const PASSPHRASE = "e2e-passphrase";

/**
 * The environment of every Pulumi run in the tests: our Node and CLI first on PATH, a private
 * PULUMI_HOME under `scratch`, a passphrase secrets provider, no update check or plugin
 * download, and the provider pointed at the emulator.
 */
export function isolatedPulumiEnv(scratch: string, emulator: { baseUrl: string }): Record<string, string> {
  fs.mkdirSync(path.join(scratch, "home"), { recursive: true });
  return {
    ...(process.env as Record<string, string>),
    PATH: toolPath(resolveToolchain()),
    PULUMI_HOME: path.join(scratch, "home"),
    PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    QODER_BASE_URL: emulator.baseUrl,
  };
}
