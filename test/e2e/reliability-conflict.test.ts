// A concurrent out-of-band edit while `pulumi up` is writing: the provider's update is in flight
// (held by latency) when someone edits the same agent and memory by hand. The API refuses the
// stale write with 409, the run fails with a clear message, the hand edit survives, and
// refresh + up then converges.
import { EmulatorProcess } from "./harness/emulator-process";
import { apiOf } from "./harness/inventory";
import { refreshDrift, stepsWithChanges, TestStack } from "./harness/stack";

let emu: EmulatorProcess;
let stack: TestStack;

beforeAll(async () => {
  emu = await EmulatorProcess.start();
  stack = new TestStack("reliability", emu, { name: "conflict" });
  await stack.configureToken();
});
afterAll(async () => {
  stack?.cleanup();
  await emu?.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function resources(system: string, content: string) {
  return [
    { type: "Agent", name: "reviewer", args: { name: "reviewer", model: "ultimate", system } },
    { type: "MemoryStore", name: "store", args: { name: "store", description: "Notes." } },
    { type: "Memory", name: "memory", args: { storeId: { ref: "store.memoryStoreId" }, path: "notes.md", content } },
  ];
}

test("an edit landing while the update is in flight gets a 409 and is not overwritten", async () => {
  const api = apiOf(emu);
  stack.setArgs({ resources: resources("v1", "seed v1") });
  const created = await stack.up();
  const agentId = created.outputs!.reviewer as string;
  const memoryId = created.outputs!.memory as string;
  const storeId = created.outputs!.store as string;

  // Hold the provider's PUTs for 6 s; latency is fixed when a request arrives, so clearing the
  // fault afterwards lets the hand edits through at once while the provider's writes wait.
  stack.setArgs({ resources: resources("v2 from pulumi", "seed v2 from pulumi") });
  await emu.resetStats();
  await emu.setFaults({ latencyMs: 6000, methods: ["PUT"] });
  const run = stack.start("up");
  const until = Date.now() + 120_000;
  while ((await emu.stats()).log.filter((e) => e.method === "PUT" && e.status === 0).length < 2 && Date.now() < until) await sleep(100);
  await emu.setFaults({});
  const agent = await api.agents.get(agentId);
  await api.agents.update(agentId, { version: agent.version, system: "edited by hand" } as any);
  const memory = await api.memoryStores.memories.get(storeId, memoryId);
  await api.memoryStores.memories.update(storeId, memoryId, { content: "rewritten by an agent", version: (memory as any).version } as any);

  const result = await run.result;
  expect(result.ok).toBe(false);
  const message = `${result.error}`;
  for (const what of [`qoder Agent ${agentId}`, `qoder Memory ${memoryId}`]) {
    expect(message).toContain(`${what}: update refused with 409`);
  }
  expect(message).toMatch(/nothing was overwritten\. Run `pulumi refresh` to see what changed/);
  const puts = (await emu.stats()).log.filter((e) => e.method === "PUT").map((e) => e.status);
  expect(puts.filter((s) => s === 409)).toHaveLength(2); // refused once each, never retried
  expect((await api.agents.get(agentId)).system).toBe("edited by hand");
  expect((await api.memoryStores.memories.get(storeId, memoryId)).content).toBe("rewritten by an agent");

  // The documented way out: refresh shows the edits, up applies the program over them.
  const drift = refreshDrift(await stack.refresh());
  expect(drift).toEqual(expect.arrayContaining([expect.stringMatching(/^memory: .*\bcontent\b/), expect.stringMatching(/^reviewer: .*\bsystem\b/)]));
  await stack.up();
  expect((await api.agents.get(agentId)).system).toBe("v2 from pulumi");
  expect((await api.memoryStores.memories.get(storeId, memoryId)).content).toBe("seed v2 from pulumi");
  expect(stepsWithChanges(await stack.preview(true))).toEqual([]);
});
