// Runs one Pulumi operation on a project directory with the Automation API (a LocalWorkspace
// whose workDir is the project, no inline program), so the CLI starts the nodejs language host
// and the host runs the project's main, as `pulumi up` does for a user. It runs in its own Node
// process so a test can SIGKILL the whole tree (runner, CLI, host, providers) mid-operation.
// Input: a JSON job in argv[2]. Output: one line `E2E_RESULT <json>` on stdout.
import { execFileSync } from "node:child_process";
import * as auto from "@pulumi/pulumi/automation";
import { EventCollector } from "../tools/events";

export interface Job {
  op: "up" | "preview" | "refresh" | "previewRefresh" | "destroy" | "export" | "setConfig" | "outputs" | "cancel" | "exportEncrypted";
  stack: string;
  /** The project directory (Pulumi.yaml + main); the backend comes from PULUMI_BACKEND_URL. */
  workDir: string;
  pulumiRoot: string;
  config?: Record<string, { value: string; secret?: boolean }>;
  refresh?: boolean;
  verbose?: boolean;
  /** refresh: drop creates left pending by an interrupted update (`--clear-pending-creates`). */
  clearPendingCreates?: boolean;
}

async function main() {
  const job: Job = JSON.parse(process.argv[2]);
  const pulumiCommand = await auto.PulumiCommand.get({ root: job.pulumiRoot, skipVersionCheck: false });
  const stack = await auto.LocalWorkspace.createOrSelectStack({ stackName: job.stack, workDir: job.workDir }, { pulumiCommand });
  const stdout: string[] = [];
  const onOutput = (s: string) => stdout.push(s);
  // The CLI's own stderr (with `verbose`, the engine's -v=9 logs and provider stderr): the
  // Automation API hands it over only through this callback.
  const stderr: string[] = [];
  const onError = (s: string) => stderr.push(s);
  const collector = new EventCollector();
  const events = collector.steps;
  const onEvent = (e: auto.EngineEvent) => {
    collector.onEvent(e);
    if (e.diagnosticEvent) stdout.push(`[diag ${e.diagnosticEvent.severity}] ${e.diagnosticEvent.message}`);
  };
  const common = { onOutput, onError, onEvent, color: "never" as const, ...(job.verbose ? { logToStdErr: true, logVerbosity: 9, debug: true } : {}) };
  let result: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(job.config ?? {})) await stack.setConfig(k, v);
  switch (job.op) {
    case "setConfig":
      break;
    case "up": {
      const r = await stack.up({ ...common, refresh: job.refresh });
      result = { summary: r.summary.resourceChanges ?? {}, outputs: plainOutputs(r.outputs) };
      break;
    }
    case "preview": {
      const r = await stack.preview({ ...common, refresh: job.refresh, diff: true });
      result = { summary: r.changeSummary ?? {} };
      break;
    }
    case "previewRefresh": {
      const r = await stack.previewRefresh({ ...common });
      result = { summary: r.changeSummary ?? {} };
      break;
    }
    case "refresh": {
      const r = await stack.refresh({ ...common, clearPendingCreates: job.clearPendingCreates });
      result = { summary: r.summary.resourceChanges ?? {} };
      break;
    }
    case "destroy": {
      const r = await stack.destroy({ ...common });
      result = { summary: r.summary.resourceChanges ?? {} };
      break;
    }
    case "export":
      result = { state: await stack.exportStack() };
      break;
    case "exportEncrypted": {
      // `pulumi stack export` as a user runs it: secrets stay ciphertext (exportStack decrypts).
      const out = execFileSync(pulumiCommand.command, ["stack", "export", "--stack", job.stack], { cwd: job.workDir, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
      result = { state: JSON.parse(out) };
      break;
    }
    case "cancel":
      await stack.cancel();
      break;
    case "outputs":
      result = { outputs: plainOutputs(await stack.outputs()) };
      break;
  }
  return { ok: true, ...result, events, log: stdout.join(""), ...(stderr.length ? { stderr: stderr.join("") } : {}) };
}

function plainOutputs(o: auto.OutputMap): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, v.secret ? "[secret]" : v.value]));
}

main()
  .then((r) => process.stdout.write(`\nE2E_RESULT ${JSON.stringify(r)}\n`))
  .catch((e) => {
    const message = String(e?.message ?? e);
    process.stdout.write(`\nE2E_RESULT ${JSON.stringify({ ok: false, error: message, stderr: e?.commandResult?.stderr ?? "", stdoutTail: e?.commandResult?.stdout ?? "" })}\n`);
  });
