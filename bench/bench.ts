// `npm run bench`: cost (API calls against their physical limits), speed (wall time, the
// provider's own share against an sdk baseline), state size and client overhead, measured
// against a real emulator with the real Pulumi CLI. Prints Markdown; writes bench/results.json.
// BENCH_SIZES=10,100 and BENCH_LATENCIES=0,100 (ms) choose the matrix; smaller while developing.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { EmulatorProcess } from "../testkit/emulator-process";
import { apiOf, outsideVault } from "../testkit/inventory";
import { makeSkillDir, type StackShape } from "../testkit/resource-specs";
import { resolveToolchain } from "../testkit/toolchain";
import { runBaseline, type BaselineTimes, PULUMI_DEFAULT_PARALLELISM } from "./baseline";
import { measureClientOverhead, type ClientOverhead } from "./client-overhead";
import { renderMarkdown } from "./report";
import { runStack, type StackRun } from "./stack-phases";

const list = (v: string | undefined, dflt: number[]) => (v ? v.split(",").map(Number) : dflt);

export interface LatencyRun {
  latencyMs: number;
  empty: StackRun;
  stacks: Array<StackRun & { baseline: BaselineTimes }>;
}

export interface BenchResults {
  machine: Record<string, string | number>;
  parallelism: number;
  runs: LatencyRun[];
  client: ClientOverhead;
  totalSeconds: number;
}

function machine(): Record<string, string | number> {
  const t = resolveToolchain();
  const cli = execFileSync(path.join(t.pulumiDir, "pulumi"), ["version"], { encoding: "utf8" }).trim();
  return {
    nproc: os.cpus().length,
    cpu: os.cpus()[0]?.model ?? "unknown",
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    pulumiCli: cli,
    os: `${os.type()} ${os.release()}`,
    loadAvgAtStart: os.loadavg().map((l) => l.toFixed(2)).join(" "),
  };
}

async function main(): Promise<void> {
  const t0 = Date.now();
  const sizes = list(process.env.BENCH_SIZES, [10, 100]);
  const latencies = list(process.env.BENCH_LATENCIES, [0, 100]);
  const skillDir = makeSkillDir("helper", "Helps.");
  const emu = await EmulatorProcess.start();
  const runs: LatencyRun[] = [];
  let client: ClientOverhead;
  try {
    for (const latencyMs of latencies) {
      const fresh = async () => {
        await emu.reset();
        await emu.setFaults(latencyMs ? { latencyMs } : {});
      };
      await fresh();
      const empty = await runStack(emu, { agents: 0, others: false }, `bench-empty-${latencyMs}`);
      const stacks: LatencyRun["stacks"] = [];
      for (const agents of sizes) {
        await fresh();
        const shape: StackShape = { agents, others: true, skillDir, outsideVaultId: await outsideVault(emu) };
        process.stderr.write(`bench: N=${agents} latency=${latencyMs}ms ...\n`);
        const run = await runStack(emu, shape, `bench-${agents}-${latencyMs}`);
        await fresh();
        const baseline = await runBaseline(apiOf(emu), { ...shape, skillDir, outsideVaultId: await outsideVault(emu) });
        stacks.push({ ...run, baseline });
      }
      runs.push({ latencyMs, empty, stacks });
    }
    await emu.reset();
    client = await measureClientOverhead(emu.baseUrl, emu.token);
  } finally {
    await emu.stop();
    fs.rmSync(skillDir, { recursive: true, force: true });
  }
  const results: BenchResults = { machine: machine(), parallelism: PULUMI_DEFAULT_PARALLELISM, runs, client, totalSeconds: Math.round((Date.now() - t0) / 1000) };
  fs.writeFileSync(path.join(__dirname, "..", "..", "bench", "results.json"), JSON.stringify(results, null, 2) + "\n");
  process.stdout.write(renderMarkdown(results));
}

main().catch((e) => {
  console.error(`bench failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
