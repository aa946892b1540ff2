// `npm run demo [-- up|plan|drift]`: the root project (a Fleet over qoder/) against a local
// emulator whose data, like the Pulumi state, survives between runs in .qoder/. With
// QODER_DEMO_REAL=1 the same program runs against the real service (docs/GITOPS.md).
import * as fs from "node:fs";
import * as path from "node:path";
import type { Stack } from "@pulumi/pulumi/automation";
import { startEmulator, type RunningEmulator } from "../emulator";
import { driftReport } from "./drift";
import { planReport } from "./plan";
import { toJson, toMarkdown, type Report } from "./report";
import { openStack } from "./workspace";

const REPO = path.resolve(__dirname, "..", "..");
/** Emulator data, Pulumi state and reports (QODER_DEMO_DATA lets tests use a scratch dir). */
const DATA = path.resolve(process.env.QODER_DEMO_DATA ?? path.join(REPO, ".qoder"));
/** Only ever accepted by the local emulator. */
const EMULATOR_TOKEN = "pt-demo-emulator-token";
const DEMO_GITHUB_TOKEN = "demo-placeholder-not-a-real-token";

async function main(mode: string): Promise<number> {
  if (!["up", "plan", "drift"].includes(mode)) throw new Error(`usage: npm run demo [-- up|plan|drift] (got "${mode}")`);
  const real = process.env.QODER_DEMO_REAL === "1";
  const stackName = process.env.QODER_DEMO_STACK ?? (real ? "real" : "demo");
  // The demo's secrets are placeholders; a fixed passphrase keeps `npm run demo` prompt-free.
  if (!process.env.PULUMI_CONFIG_PASSPHRASE && !process.env.PULUMI_CONFIG_PASSPHRASE_FILE) process.env.PULUMI_CONFIG_PASSPHRASE = "qoder-demo";
  fs.mkdirSync(path.join(DATA, "state"), { recursive: true });
  process.env.PULUMI_BACKEND_URL ??= `file://${path.join(DATA, "state")}`;

  let emulator: RunningEmulator | undefined;
  try {
    if (!real) {
      emulator = await startEmulator({ port: 0, dataFile: path.join(DATA, "emulator.json"), token: EMULATOR_TOKEN });
      process.env.QODER_BASE_URL = emulator.baseUrl;
      delete process.env.QODER_PAT;
      console.log(`Local Qoder emulator at ${emulator.baseUrl} (data: ${path.relative(REPO, path.join(DATA, "emulator.json"))})`);
    }
    const { stack, project } = await openStack({ cwd: REPO, stack: stackName, create: mode === "up" });
    await configure(stack, project.name, real);
    if (mode === "up") return await up(stack, real);
    const report = mode === "drift" ? await driftReport({ cwd: REPO, stack: stackName }) : await planReport({ cwd: REPO, stack: stackName });
    return writeReport(report, mode);
  } finally {
    await emulator?.close();
  }
}

/** The provider token and the vault's token reference (qoder/vaults/github.yaml). */
async function configure(stack: Stack, projectName: string, real: boolean): Promise<void> {
  const has = async (key: string) => (await stack.getAllConfig())[key] !== undefined;
  if (!real) {
    await stack.setConfig("qoder:token", { value: EMULATOR_TOKEN, secret: true });
  } else if (process.env.QODER_PAT) {
    await stack.setConfig("qoder:token", { value: process.env.QODER_PAT, secret: true });
  } else if (!(await has("qoder:token"))) {
    throw new Error("QODER_DEMO_REAL=1 needs a Qoder token: export QODER_PAT=<personal access token> (stored as the secret qoder:token)");
  }
  const ghKey = `${projectName}:githubMcpToken`;
  if (process.env.GITHUB_MCP_TOKEN) await stack.setConfig(ghKey, { value: process.env.GITHUB_MCP_TOKEN, secret: true });
  else if (!(await has(ghKey))) {
    if (real) throw new Error("QODER_DEMO_REAL=1 needs the vault's token: export GITHUB_MCP_TOKEN=<token> (stored as the secret githubMcpToken)");
    await stack.setConfig(ghKey, { value: DEMO_GITHUB_TOKEN, secret: true });
  }
}

async function up(stack: Stack, real: boolean): Promise<number> {
  const r = await stack.up({ onOutput: (s) => process.stdout.write(s), color: "auto" });
  const changes = Object.entries(r.summary.resourceChanges ?? {}).filter(([op]) => op !== "same");
  console.log(changes.length ? "" : "\nNo changes: the service already matches qoder/.");
  console.log("\nStack outputs (name → id, per kind):");
  console.log(JSON.stringify(Object.fromEntries(Object.entries(r.outputs).map(([k, v]) => [k, v.secret ? "[secret]" : v.value])), null, 2));
  const env = real ? "QODER_DEMO_REAL=1 " : "";
  console.log(`
Next:
  - edit the prompt in qoder/agents/reviewer.md, then \`${env}npm run plan\` to see the diff and \`${env}npm run demo\` to apply it
  - \`${env}npm run drift\` checks whether the live objects still match the stack (exit 2 on drift)
  - add or remove a file under qoder/ and run \`${env}npm run demo\` again`);
  return 0;
}

function writeReport(report: Report, mode: string): number {
  const md = toMarkdown(report);
  fs.writeFileSync(path.join(DATA, `${mode}.json`), JSON.stringify(toJson(report), null, 2) + "\n");
  fs.writeFileSync(path.join(DATA, `${mode}.md`), md);
  process.stdout.write(`${md}\n(reports: ${path.relative(REPO, path.join(DATA, mode))}.json and .md)\n`);
  return mode === "drift" && report.changes ? 2 : 0;
}

main(process.argv[2] ?? "up").then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`demo: ${e?.commandResult?.stderr?.trim() || e?.message || e}\n`);
    process.exit(1);
  },
);
