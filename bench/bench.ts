// `npm run bench`: cost (API calls against their physical limits), speed (wall time against the
// dynamic-provider floor and an sdk baseline, in the same run), state size and client overhead,
// measured against a real emulator with the real Pulumi CLI and nodejs language host, from the
// packed package installed as users have it. Prints Markdown; writes bench/results.json.
// BENCH_SIZES=100,300 and BENCH_LATENCIES=0 (ms) choose the matrix (e.g. BENCH_SIZES=10 while
// developing, BENCH_SIZES=100,300,1000 for the large run); BENCH_REPEATS=3 how often the
// repeatable phases run (the median is reported).
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
import { packAndInstall } from "./packed-install";
import { runPair, type StackRun } from "./stack-phases";

const list = (v: string | undefined, dflt: number[]) => (v ? v.split(",").map(Number) : dflt);

/** One size: our stack, the floor with as many resources, the sdk baseline of the same API work. */
export interface SizeRun {
  ours: StackRun;
  floor: StackRun;
  baseline: BaselineTimes;
}

export interface LatencyRun {
  latencyMs: number;
  sizes: SizeRun[];
}

export interface BenchResults {
  machine: Record<string, string | number>;
  parallelism: number;
  runs: LatencyRun[];
  client: ClientOverhead;
  totalSeconds: number;
}

function machine(loadAtStart: number[]): Record<string, string | number> {
  const t = resolveToolchain();
  const cli = execFileSync(path.join(t.pulumiDir, "pulumi"), ["version"], { encoding: "utf8" }).trim();
  return {
    nproc: os.cpus().length,
    cpu: os.cpus()[0]?.model ?? "unknown",
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    pulumiCli: cli,
    os: `${os.type()} ${os.release()}`,
    loadAvgAtStart: loadAtStart.map((l) => l.toFixed(2)).join(" "),
    benchSizes: process.env.BENCH_SIZES ?? "100,300",
    benchLatencies: process.env.BENCH_LATENCIES ?? "0",
    benchRepeats: process.env.BENCH_REPEATS ?? "3",
  };
}

async function main(): Promise<void> {
  const t0 = Date.now();
  const loadAtStart = os.loadavg();
  const sizes = list(process.env.BENCH_SIZES, [100, 300]);
  const latencies = list(process.env.BENCH_LATENCIES, [0]);
  const repeats = list(process.env.BENCH_REPEATS, [3])[0];
  if (!Number.isInteger(repeats) || repeats < 1) throw new Error(`BENCH_REPEATS must be a whole number ≥ 1 (got ${JSON.stringify(process.env.BENCH_REPEATS)})`);
  const skillDir = makeSkillDir("helper", "Helps.");
  process.stderr.write("bench: npm pack + install ...\n");
  const install = packAndInstall();
  const emu = await EmulatorProcess.start();
  const runs: LatencyRun[] = [];
  let client: ClientOverhead;
  try {
    for (const latencyMs of latencies) {
      const fresh = async () => {
        await emu.reset();
        await emu.setFaults(latencyMs ? { latencyMs } : {});
      };
      const run: LatencyRun = { latencyMs, sizes: [] };
      for (const agents of sizes) {
        await fresh();
        const shape: StackShape = { agents, others: true, skillDir, outsideVaultId: await outsideVault(emu) };
        process.stderr.write(`bench: N=${agents} latency=${latencyMs}ms: ours and the floor, interleaved ...\n`);
        const { ours, floor } = await runPair(emu, shape, `${agents}-${latencyMs}`, install, repeats);
        await fresh();
        const baseline = await runBaseline(apiOf(emu), { ...shape, skillDir, outsideVaultId: await outsideVault(emu) });
        run.sizes.push({ ours, floor, baseline });
      }
      runs.push(run);
    }
    await emu.reset();
    client = await measureClientOverhead(emu.baseUrl, emu.token);
  } finally {
    await emu.stop();
    install.cleanup();
    fs.rmSync(skillDir, { recursive: true, force: true });
  }
  const results: BenchResults = { machine: machine(loadAtStart), parallelism: PULUMI_DEFAULT_PARALLELISM, runs, client, totalSeconds: Math.round((Date.now() - t0) / 1000) };
  fs.writeFileSync(path.join(__dirname, "..", "..", "bench", "results.json"), JSON.stringify(results, null, 2) + "\n");
  process.stdout.write(renderMarkdown(results));
}

main().catch((e) => {
  console.error(`bench failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
