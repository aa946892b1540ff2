// Markdown tables for `npm run bench` (the same figures as bench/results.json).
import type { BenchResults, LatencyRun } from "./bench";
import type { BaselineTimes } from "./baseline";
import { PHASES, type PhaseResult, type StackRun } from "./stack-phases";

const s = (ms: number) => (ms / 1000).toFixed(2);
const calls = (c: Record<string, number>) =>
  Object.entries(c)
    .sort()
    .map(([m, n]) => `${m} ${n}`)
    .join(", ") || "0";

function verdict(p: PhaseResult): string {
  const actual = p.limit.method === "any" ? p.total : (p.calls[p.limit.method] ?? 0);
  const others = p.total - actual;
  if (actual === p.limit.calls && others === 0) return "at limit";
  return `${actual - p.limit.calls >= 0 ? "+" : ""}${actual - p.limit.calls} ${p.limit.method}${others ? `, +${others} other` : ""}`;
}

const BASELINE_OF: Partial<Record<string, keyof BaselineTimes>> = { create: "create", refresh: "refresh", update: "update", destroy: "destroy" };

/** (T(stack) − T(empty stack)) / T(baseline): how many baselines the provider adds. */
export function providerShare(run: StackRun & { baseline: BaselineTimes }, empty: StackRun, phase: string): number | undefined {
  const key = BASELINE_OF[phase];
  const t = run.phases.find((p) => p.phase === phase)?.wallMs;
  const e = empty.phases.find((p) => p.phase === phase)?.wallMs;
  if (!key || t === undefined || e === undefined || run.baseline[key] <= 0) return undefined;
  return (t - e) / run.baseline[key];
}

function latencyTable(r: LatencyRun): string {
  const rows: string[] = [];
  rows.push(`### Added latency ${r.latencyMs} ms`, "");
  rows.push("| N agents (objects) | phase | API calls | physical limit | vs limit | wall s | empty stack s | sdk baseline s | provider share |");
  rows.push("|---|---|---|---|---|---|---|---|---|");
  for (const run of r.stacks) {
    for (const phase of PHASES) {
      const p = run.phases.find((x) => x.phase === phase);
      if (!p) continue;
      const e = r.empty.phases.find((x) => x.phase === phase);
      const key = BASELINE_OF[phase];
      const share = providerShare(run, r.empty, phase);
      const limit = p.limit.method === "any" ? "0 calls" : `${p.limit.calls} ${p.limit.method}`;
      rows.push(
        `| ${run.shape.agents} (${run.objects}) | ${phase} | ${calls(p.calls)} | ${limit} | ${verdict(p)} | ${s(p.wallMs)} | ${e ? s(e.wallMs) : "–"} | ` +
          `${key ? s(run.baseline[key]) : "–"} | ${share === undefined ? "–" : `${share.toFixed(1)}×`} |`,
      );
    }
  }
  return rows.join("\n");
}

export function renderMarkdown(b: BenchResults): string {
  const out: string[] = ["## Machine", ""];
  for (const [k, v] of Object.entries(b.machine)) out.push(`- ${k}: ${v}`);
  out.push(`- Pulumi parallelism: default (${b.parallelism}); the sdk baseline uses the same`, `- total bench time: ${b.totalSeconds} s`, "");
  out.push("## API calls and wall time per phase", "");
  for (const r of b.runs) out.push(latencyTable(r), "");
  out.push("## State size (after create)", "", "| latency ms | N agents | qoder resources | state bytes / resource | `__provider` bytes / resource |", "|---|---|---|---|---|");
  for (const r of b.runs) {
    for (const run of r.stacks) {
      if (run.state) out.push(`| ${r.latencyMs} | ${run.shape.agents} | ${run.state.resources} | ${run.state.bytesPerResource} | ${run.state.providerBytesPerResource} |`);
    }
  }
  const c = b.client;
  out.push("", "## Client overhead", "");
  out.push(`${c.requests} × 2 GET /agents/{id}, ${c.concurrency} in flight, no added latency: our client ${c.clientRps.toFixed(0)} req/s, ` +
    `bare undici.request ${c.undiciRps.toFixed(0)} req/s, ratio **${c.ratio.toFixed(2)}**.`, "");
  return out.join("\n");
}
