// Runs one operation on a project directory through tools/workspace (as the demo and the
// qoder-* tools do) in its own process. argv[2]: JSON job. Output: `E2E_RESULT <json>`.
import { EventCollector } from "../../../tools/events";
import { withStack } from "../../../tools/workspace";

interface ProjectJob {
  op: "up" | "preview" | "destroy" | "setConfig";
  cwd: string;
  stack: string;
  config?: Record<string, { value: string; secret?: boolean }>;
}

async function main() {
  const job: ProjectJob = JSON.parse(process.argv[2]);
  return withStack({ cwd: job.cwd, stack: job.stack, create: true }, async ({ stack }) => {
    for (const [k, v] of Object.entries(job.config ?? {})) await stack.setConfig(k, v);
    const events = new EventCollector();
    const log: string[] = [];
    const common = { onEvent: events.onEvent, onOutput: (s: string) => log.push(s), color: "never" as const };
    let result: Record<string, unknown> = {};
    if (job.op === "up") {
      const r = await stack.up(common);
      result = { summary: r.summary.resourceChanges, outputs: Object.fromEntries(Object.entries(r.outputs).map(([k, v]) => [k, v.secret ? "[secret]" : v.value])) };
    } else if (job.op === "preview") {
      result = { summary: (await stack.preview(common)).changeSummary };
    } else if (job.op === "destroy") {
      result = { summary: (await stack.destroy(common)).summary.resourceChanges };
    }
    return { ok: true, ...result, events: events.steps, log: log.join("") };
  });
}

main()
  .then((r) => process.stdout.write(`\nE2E_RESULT ${JSON.stringify(r)}\n`))
  .catch((e) => process.stdout.write(`\nE2E_RESULT ${JSON.stringify({ ok: false, error: String(e?.message ?? e) })}\n`));
