// A stack deployed through a flaky gateway: 503s, 429 bursts with Retry-After, connection
// resets and latency. It converges to exactly the declared objects, and every retry follows the
// documented policy (1 s → 2 s → 4 s with up to 25 % downward jitter, at most 3 retries;
// Retry-After wins when present), read back from the emulator's request log.
import type { EmulatorStats } from "../../testkit/emulator-process";
import { liveLabels, outsideVault } from "../../testkit/inventory";
import { declaredLabels, stackSpecs, type StackShape } from "../../testkit/resource-specs";
import { refreshDrift, stepsWithChanges, type OpResult, type TestStack } from "../../testkit/stack";
import { useStacks } from "../../testkit/stacks";

const suite = useStacks("reliability");

async function newStack(name: string, shape: StackShape): Promise<TestStack> {
  const stack = await suite.newStack(name);
  stack.setArgs({ resources: stackSpecs(shape) });
  return stack;
}

type Entry = EmulatorStats["log"][number];

/** Attempts of each create, grouped by Idempotency-Key, in arrival order. */
function attemptsByKey(log: Entry[]): Map<string, Entry[]> {
  const byKey = new Map<string, Entry[]>();
  for (const e of log) if (e.method === "POST" && e.idempotencyKey) byKey.set(e.idempotencyKey, [...(byKey.get(e.idempotencyKey) ?? []), e]);
  return byKey;
}

const BASE_MS = 1000;
const JITTER = 0.25;
/** Scheduling slack on a loaded 2-core machine: only ever added to the upper bound. */
const SLACK_MS = 2500;

/**
 * The gap between an attempt's arrival and the next one's: the failed attempt's latency, plus
 * the client's delay (Retry-After for a 429 that sends it, else base·2^retry minus jitter).
 */
function expectedGap(failed: Entry, retry: number, latencyMs: number): [number, number] {
  if (failed.fault === "burst") return [BASE_MS + latencyMs, BASE_MS + latencyMs + SLACK_MS];
  const full = BASE_MS * 2 ** retry;
  return [full * (1 - JITTER) + latencyMs, full + latencyMs + SLACK_MS];
}

function checkRetries(log: Entry[], latencyMs: number): { retried: number; gaps: string[]; violations: string[] } {
  const violations: string[] = [];
  const gaps: string[] = [];
  let retried = 0;
  for (const [key, attempts] of attemptsByKey(log)) {
    if (attempts.length > 4) violations.push(`${key}: ${attempts.length} attempts (at most 1 + 3 retries)`);
    if (attempts.length > 1) retried++;
    for (let i = 1; i < attempts.length; i++) {
      const gap = attempts[i].time - attempts[i - 1].time;
      const [lo, hi] = expectedGap(attempts[i - 1], i - 1, latencyMs);
      gaps.push(`${attempts[i - 1].fault ?? attempts[i - 1].status}→${Math.round(gap)}ms`);
      if (gap < lo || gap > hi) violations.push(`${key} retry ${i} after ${attempts[i - 1].fault}: ${Math.round(gap)} ms, expected ${Math.round(lo)}–${Math.round(hi)}`);
    }
  }
  return { retried, gaps, violations };
}

test("a retried create backs off 1 s → 2 s → 4 s, gives up after 3 retries with a clear error, and converges later", async () => {
  const stack = await newStack("backoff", { agents: 1, others: false });
  await suite.emu.setFaults({ errorRate: 1, errorStatus: 503, methods: ["POST"] });
  const failed = await stack.run("up");
  expect(failed.ok).toBe(false);
  expect(`${failed.error}`).toMatch(/qoder Agent: create failed: 503 api_error: Service temporarily unavailable/);
  const log = (await suite.emu.stats()).log;
  const attempts = [...attemptsByKey(log).values()];
  expect(attempts).toHaveLength(1);
  expect(attempts[0].map((e) => e.status)).toEqual([503, 503, 503, 503]);
  const chain = checkRetries(log, 0);
  expect(chain.violations).toEqual([]);
  console.log(`backoff: ${attempts[0].length} attempts, gaps ${chain.gaps.join(" ")}`);

  await suite.emu.setFaults({});
  await stack.up();
  expect(await liveLabels(suite.emu)).toEqual(["agent agent-0"]);
});

test("up of 20 resources converges through 503s, 429 bursts, resets and 200 ms latency, with no duplicates", async () => {
  const shape: StackShape = { agents: 14, others: true, outsideVaultId: await outsideVault(suite.emu) };
  const stack = await newStack("faults", shape);
  expect(stackSpecs(shape)).toHaveLength(20);
  const latencyMs = 200;
  await suite.emu.setFaults({ latencyMs, errorRate: 0.2, errorStatus: 503, resetRate: 0.05, burst: { count: 6 }, seed: 7 });

  // A create that draws four faults in a row fails the run with a clear error; running `up`
  // again is safe (stable idempotency keys) and is what a user does. Bounded: three runs. The
  // retry policy holds within a run: the next run's create sends the same key again, as the
  // first attempt of its own chain.
  const runs: OpResult[] = [];
  const logs: Entry[][] = [];
  for (let i = 0; i < 3 && !runs.at(-1)?.ok; i++) {
    await suite.emu.resetStats();
    runs.push(await stack.run("up"));
    logs.push((await suite.emu.stats()).log);
  }
  const log = logs.flat();
  await suite.emu.setFaults({});
  expect(runs.at(-1)!.ok).toBe(true);
  for (const r of runs.filter((x) => !x.ok)) expect(`${r.error}`).toMatch(/create failed: (503 api_error|429 rate_limit_error|POST \/\S+ failed)/);

  const faults = log.filter((e) => e.fault && e.fault !== "latency");
  const kinds = new Set(faults.map((e) => e.fault));
  expect([...kinds].sort()).toEqual(["503", "burst", "reset"]);
  expect(log.every((e) => e.fault !== undefined || e.status === 0)).toBe(true); // latency on every answered request
  const perRun = logs.map((l) => checkRetries(l, latencyMs));
  const retries = { retried: perRun.reduce((n, r) => n + r.retried, 0), gaps: perRun.flatMap((r) => r.gaps), violations: perRun.flatMap((r) => r.violations) };
  expect(retries.violations).toEqual([]);

  expect(await liveLabels(suite.emu)).toEqual(declaredLabels(shape));
  expect(stepsWithChanges(await stack.preview())).toEqual([]);
  expect(refreshDrift(await stack.refresh())).toEqual([]);
  console.log(
    `faults: ${faults.length} injected (${[...kinds].map((k) => `${k} ${faults.filter((f) => f.fault === k).length}`).join(", ")}), ` +
      `${retries.retried} creates retried, ups needed ${runs.length}; gaps ${retries.gaps.join(" ")}`,
  );
});
