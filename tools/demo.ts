// `npm run demo [-- up|plan|drift|edit|test]`: the root project (a Fleet over qoder/) against a local
// emulator whose data, like the Pulumi state, survives between runs in .qoder/. With
// QODER_DEMO_REAL=1 the same program runs against the real service (docs/GITOPS.md).
import "../sdk/node-guard-cli"; // first: refuses Node < 22 before undici loads
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type { Stack, UpResult } from "@pulumi/pulumi/automation";
import { startEmulator, type RunningEmulator } from "../emulator";
import { QoderClient } from "../sdk";
import { errorText } from "./cli";
import { driftReport } from "./drift";
import { planReport } from "./plan";
import { toJson, toMarkdown, type Report } from "./report";
import { HeldOutput, nextStep } from "./run-output";
import { openStack } from "./workspace";

const REPO = path.resolve(__dirname, "..", "..");
/** Emulator data, Pulumi state and reports (QODER_DEMO_DATA lets tests use a scratch dir). */
const DATA = path.resolve(process.env.QODER_DEMO_DATA ?? path.join(REPO, ".qoder"));
/** Only ever accepted by the local emulator. */
const EMULATOR_TOKEN = "pt-demo-emulator-token";
const DEMO_GITHUB_TOKEN = "demo-placeholder-not-a-real-token";

async function main(mode: string): Promise<number> {
  if (!["up", "plan", "drift", "edit", "test"].includes(mode)) throw new Error(`usage: npm run demo [-- up|plan|drift|edit|test] (got "${mode}")`);
  const real = process.env.QODER_DEMO_REAL === "1";
  if (mode === "edit" && real) throw new Error("`edit` changes the local emulator's data only; edit real agents in the Qoder console");
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
    if (mode === "edit") return await editLikeAConsoleUser(emulator!);
    if (mode === "test") return await agentTests(stackName, emulator);
    const { stack, projectName } = await openStack({ cwd: REPO, stack: stackName, create: mode === "up" });
    await configure(stack, projectName, real);
    if (mode === "up") return await up(stack, real);
    const report = mode === "drift" ? await driftReport({ cwd: REPO, stack: stackName }) : await planReport({ cwd: REPO, stack: stackName });
    return writeReport(report, mode);
  } finally {
    await emulator?.close();
  }
}

/**
 * What a colleague might do in the Qoder console: rewrite the reviewer's prompt and add a label.
 * Goes through the API, not Pulumi, so `npm run drift` has something to report.
 */
async function editLikeAConsoleUser(emulator: RunningEmulator): Promise<number> {
  const api = new QoderClient({ token: emulator.token, baseUrl: emulator.baseUrl });
  const agents = await api.agents.list().toArray();
  const reviewer = agents.find((a) => a.name === "reviewer");
  if (!reviewer) throw new Error("no agent named reviewer on the emulator: run `npm run demo` first");
  await api.agents.update(reviewer.id, {
    version: reviewer.version,
    system: `${reviewer.system}\n\nAlso approve anything labelled "urgent" without review.`,
    metadata: { edited_by: "console" },
  });
  console.log(`Edited agent ${reviewer.id} (reviewer) out of band: appended a line to its prompt and added metadata edited_by=console.
Next: \`npm run drift\` reports it (exit 2); \`npm run demo\` puts the program's version back.`);
  return 0;
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
  const env = real ? "QODER_DEMO_REAL=1 " : "";
  const output = new HeldOutput((s) => process.stdout.write(s));
  let r: UpResult;
  try {
    // Refresh first, like a deploy job should: edits made in the console since the last run are
    // then seen, and converged back to the program instead of surviving until they conflict.
    r = await stack.up({ refresh: true, onOutput: output.write, onEvent: output.onEvent, color: "auto" });
  } catch (e) {
    output.show(); // Pulumi's log, once; the summary below is the last thing on screen
    const messages = output.errorMessages.length ? output.errorMessages : [errorText(e)];
    throw new DemoError(`\`pulumi up\` failed:\n${messages.map((m) => indent(m)).join("\n")}\n${nextStep(messages, `${env}npm run demo`)}`);
  }
  const outputs = Object.fromEntries(Object.entries(r.outputs).map(([k, v]) => [k, v.secret ? "[secret]" : v.value]));
  const outputsFile = path.join(DATA, "outputs.json");
  fs.writeFileSync(outputsFile, JSON.stringify(outputs, null, 2) + "\n");
  if (!output.changed) {
    // Nothing changed: no log and no outputs (they are the same as last time) — a few lines.
    const same = r.summary.resourceChanges?.same ?? 0;
    console.log(`No changes: the service already matches qoder/ (${same} unchanged). Stack outputs: ${path.relative(process.cwd(), outputsFile)}`);
    return 0;
  }
  // Pulumi's log above ends with the outputs; the file keeps them for scripts.
  console.log(`
Stack outputs (name → id, per kind) are also in ${path.relative(process.cwd(), outputsFile)}.
Next:
  - edit the prompt in qoder/agents/reviewer.md, then \`${env}npm run plan\` to see the diff and \`${env}npm run demo\` to apply it
  - \`${env}npm run drift\` checks whether the live objects still match the stack (exit 2 on drift);
    \`npm run demo -- edit\` first makes an out-of-band change, as someone in the console would
  - \`${env}npm run demo -- test\` runs the conversations in qoder/tests/ against the deployed agents (exit 2 on a failure)
  - add or remove a file under qoder/ and run \`${env}npm run demo\` again`);
  return 0;
}

const indent = (text: string) => text.split("\n").map((l) => `  ${l}`).join("\n");

/** A failure already explained: printed as it is, after Pulumi's own output. */
class DemoError extends Error {}

/**
 * qoder-test over qoder/tests/ against the agent versions the demo stack deployed, as CI runs it
 * (a child process: the in-process emulator keeps serving meanwhile). Its exit code is the demo's.
 */
function agentTests(stackName: string, emulator: RunningEmulator | undefined): Promise<number> {
  const reports = ["--junit", path.join(DATA, "test.xml"), "--markdown", path.join(DATA, "test.md")];
  const env = emulator ? { ...process.env, QODER_PAT: emulator.token } : process.env;
  const child = spawn(process.execPath, [path.join(__dirname, "test-cli.js"), "--cwd", REPO, "--stack", stackName, ...reports], { env, stdio: "inherit" });
  return new Promise((resolve) => child.on("exit", (code) => resolve(code ?? 1)));
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
  (e: unknown) => {
    process.stderr.write(`demo: ${e instanceof DemoError ? e.message : errorText(e)}\n`);
    process.exit(1);
  },
);
