// Jest globalSetup for the e2e project: resolve the toolchain once (building the Pulumi CLI on a
// machine's first run) and hand it to the workers through the environment.
import { resolveToolchain } from "./toolchain";

export default async function globalSetup(): Promise<void> {
  const t = resolveToolchain();
  process.env.PULUMI_QODER_NODE_DIR = t.nodeDir;
  process.env.PULUMI_QODER_CLI_DIR = t.pulumiDir;
}
