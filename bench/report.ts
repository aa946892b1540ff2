// Markdown tables for `npm run bench` (the same figures as bench/results.json).
import type { BenchResults, LatencyRun, SizeRun } from "./bench";
import type { BaselineTimes } from "./baseline";
import { PHASES, type Phase, type PhaseResult, type StackRun } from "./stack-phases";

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

const BASELINE_OF: Partial<Record<Phase, keyof BaselineTimes>> = { create: "create", refresh: "refresh", update: "update", destroy: "destroy" };

const wall = (run: StackRun, phase: Phase) => run.phases.find((p) => p.phase === phase)?.wallMs;

/** The median, and the spread when the phase ran more than once: `3.31 (3.20–3.52)`. */
function spread(p: PhaseResult | undefined): string {
  if (!p) return "–";
  if (p.runsMs.length < 2) return s(p.wallMs);
  return `${s(p.wallMs)} (${s(Math.min(...p.runsMs))}–${s(Math.max(...p.runsMs))})`;
}

/** Ours ÷ floor for one phase: 1.0 is as fast as a dynamic provider that does nothing. */
export function vsFloor(size: SizeRun, phase: Phase): number | undefined {
  const ours = wall(size.ours, phase);
  const floor = wall(size.floor, phase);
  return ours === undefined || !floor ? undefined : ours / floor;
}

function phaseTable(r: LatencyRun): string {
  const rows = [`### Added latency ${r.latencyMs} ms`, ""];
  rows.push("| N agents (objects) | phase | ours s (min–max) | floor s (min–max) | ours ÷ floor | sdk baseline s | API calls | physical limit | vs limit |");
  rows.push("|---|---|---|---|---|---|---|---|---|");
  for (const size of r.sizes) {
    for (const phase of PHASES) {
      const p = size.ours.phases.find((x) => x.phase === phase);
      if (!p) continue;
      const floor = size.floor.phases.find((x) => x.phase === phase);
      const ratio = vsFloor(size, phase);
      const key = BASELINE_OF[phase];
      const limit = p.limit.method === "any" ? "0 calls" : `${p.limit.calls} ${p.limit.method}`;
      rows.push(
        `| ${size.ours.shape.agents} (${size.ours.objects}) | ${phase} | ${spread(p)} | ${spread(floor)} | ` +
          `${ratio === undefined ? "–" : `**${ratio.toFixed(2)}**`} | ${key ? s(size.baseline[key]) : "–"} | ${calls(p.calls)} | ${limit} | ${verdict(p)} |`,
      );
    }
  }
  return rows.join("\n");
}

/** T(larger N) ÷ T(smaller N) per phase, for each pair of consecutive sizes: linear is N ratio. */
function scalingTable(r: LatencyRun): string {
  const rows: string[] = [];
  for (let i = 1; i < r.sizes.length; i++) {
    const [a, b] = [r.sizes[i - 1], r.sizes[i]];
    const label = `T(${b.ours.shape.agents}) ÷ T(${a.ours.shape.agents})`;
    rows.push(`#### ${label}, added latency ${r.latencyMs} ms (objects ${a.ours.objects} → ${b.ours.objects}: ×${(b.ours.objects / a.ours.objects).toFixed(2)})`, "");
    rows.push("| phase | ours | floor |", "|---|---|---|");
    for (const phase of PHASES) {
      const ratio = (x: StackRun, y: StackRun) => {
        const [tx, ty] = [wall(x, phase), wall(y, phase)];
        return tx && ty !== undefined ? (ty / tx).toFixed(2) : "–";
      };
      rows.push(`| ${phase} | ${ratio(a.ours, b.ours)} | ${ratio(a.floor, b.floor)} |`);
    }
    rows.push("");
  }
  return rows.join("\n");
}

export function renderMarkdown(b: BenchResults): string {
  const out: string[] = ["## Machine", ""];
  for (const [k, v] of Object.entries(b.machine)) out.push(`- ${k}: ${v}`);
  out.push(`- Pulumi parallelism: default (${b.parallelism}); the sdk baseline uses the same`, `- total bench time: ${b.totalSeconds} s`, "");
  out.push("## Wall time per phase against the floor, API calls against their limit", "");
  for (const r of b.runs) out.push(phaseTable(r), "", scalingTable(r));
  out.push("## State size (after create, packed install)", "");
  out.push("| latency ms | N agents | resources | ours bytes / resource | ours `__provider` bytes / resource (2 copies) | floor bytes / resource | floor `__provider` bytes / resource |");
  out.push("|---|---|---|---|---|---|---|");
  for (const r of b.runs) {
    for (const { ours, floor } of r.sizes) {
      if (ours.state && floor.state) {
        out.push(
          `| ${r.latencyMs} | ${ours.shape.agents} | ${ours.state.resources} | ${ours.state.bytesPerResource} | ${ours.state.providerBytesPerResource} | ` +
            `${floor.state.bytesPerResource} | ${floor.state.providerBytesPerResource} |`,
        );
      }
    }
  }
  const c = b.client;
  out.push("", "## Client overhead", "");
  out.push(
    `${c.requests} × 2 GET /agents/{id}, ${c.concurrency} in flight, no added latency: our client ${c.clientRps.toFixed(0)} req/s, ` +
      `bare undici.request (+ JSON.parse of the text) ${c.undiciRps.toFixed(0)} req/s, ratio **${c.ratio.toFixed(2)}**; ` +
      `our transport without validating the answer ${c.unvalidatedRps.toFixed(0)} req/s (the rest is zod).`,
    "",
  );
  return out.join("\n");
}
