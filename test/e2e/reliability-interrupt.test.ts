// Crash safety: a `pulumi up` SIGKILLed in the middle of its creates, then the recovery steps of
// docs/RELIABILITY.md; and destroy followed by up, which must not revive the old objects
// through their (24 h) idempotency keys.
import { inventory, liveLabels, outsideVault } from "../../testkit/inventory";
import { killTree } from "../../testkit/process-tree";
import { declaredLabels, stackSpecs, type StackShape } from "../../testkit/resource-specs";
import { refreshDrift, stepsWithChanges, type TestStack } from "../../testkit/stack";
import { useStacks } from "../../testkit/stacks";

const suite = useStacks("reliability");

async function newStack(name: string, agents: number): Promise<{ stack: TestStack; shape: StackShape }> {
  const stack = await suite.newStack(name);
  const shape: StackShape = { agents, others: true, outsideVaultId: await outsideVault(suite.emu) };
  stack.setArgs({ resources: stackSpecs(shape) });
  return { stack, shape };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitForPosts(min: number, timeoutMs: number): Promise<number> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const posts = (await suite.emu.stats()).log.filter((e) => e.method === "POST").length;
    if (posts >= min || Date.now() > until) return posts;
    await sleep(100);
  }
}

test("SIGKILL during creates, then the documented recovery: no duplicates, converged", async () => {
  const { stack, shape } = await newStack("kill", 8);
  // Slow writes so the kill lands while creates are in flight (answered or not).
  await suite.emu.setFaults({ latencyMs: 1500, methods: ["POST"] });
  const run = stack.start("up");
  const seen = await waitForPosts(4, 120_000);
  expect(seen).toBeGreaterThanOrEqual(4);
  killTree(run.pid);
  const killed = await run.result;
  expect(killed.ok).toBe(false);
  await sleep(2000); // the in-flight POSTs complete on the server, their answers lost
  await suite.emu.setFaults({});
  const orphans = (await inventory(suite.emu)).filter((o) => o.label !== "outside").length; // created, answer lost or not
  expect(orphans).toBeGreaterThan(0);

  // Step 1: the killed process left its lock behind; `pulumi cancel` removes it.
  const blocked = await stack.run("up");
  const locked = !blocked.ok && /locked/i.test(`${blocked.error}${blocked.stderr}`);
  expect(locked).toBe(true);
  await stack.ok("cancel");
  // Step 2: `up`. Pulumi warns about the creates the kill left pending and goes on; the
  // provider's stable idempotency keys replay the orphans' creates, so they are taken over.
  const pending = (await stack.exportState()).deployment.pending_operations ?? [];
  const plain = await stack.ok("up");
  const warned = /pending operations from previous deployment/.test(plain.log);
  expect(warned).toBe(true);
  // Step 3: the pending list outlives a successful up (each later run warns again) until a
  // refresh clears it.
  const leftPending = (await stack.exportState()).deployment.pending_operations ?? [];
  await stack.ok("refresh", { clearPendingCreates: true });
  expect((await stack.exportState()).deployment.pending_operations ?? []).toEqual([]);
  console.log(
    `interrupt: locked=${locked} pending=${pending.length} (${pending.map((p: any) => p.type).join(",")}) ` +
      `warnedPending=${warned} leftPending=${leftPending.length} orphans=${orphans}\n` +
      plain.log.split("\n").filter((l) => /pending|interrupted|unknown state/i.test(l)).slice(0, 8).join("\n"),
  );
  expect(await liveLabels(suite.emu)).toEqual(declaredLabels(shape));
  expect((await inventory(suite.emu)).filter((o) => o.archived)).toEqual([]);
  expect(stepsWithChanges(await stack.preview())).toEqual([]);
});

test("destroy then up within the idempotency window creates fresh objects", async () => {
  const { stack, shape } = await newStack("redo", 2);
  // One agent archives on destroy (the default), the rest delete: both must come back fresh.
  const specs = stackSpecs(shape);
  specs[0].args.deletionPolicy = "archive";
  stack.setArgs({ resources: specs });
  const first = await stack.up();
  const firstIds = Object.values(first.outputs!) as string[];
  await stack.destroy();
  const second = await stack.up();
  const secondIds = Object.values(second.outputs!) as string[];
  for (const id of secondIds) expect(firstIds).not.toContain(id);
  expect(await liveLabels(suite.emu)).toEqual(declaredLabels(shape)); // the archived agent-0 is not live
  const drift = await stack.refresh();
  expect(refreshDrift(drift)).toEqual([]);
  expect(stepsWithChanges(await stack.preview())).toEqual([]);
});
