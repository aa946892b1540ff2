// Optimistic concurrency: an agent or memory edited out of band answers the provider's update with
// 409. The run fails with a refresh hint after one attempt, the hand edit survives, and
// refresh + up converges: for an edit made since the last refresh, and for one landing while
// `pulumi up` is writing (the provider's update held in flight by latency).
import { apiOf } from "../../testkit/inventory";
import { expectNoDrift, withWrites, type Kit } from "../../testkit/kit";
import { refreshDrift, stepsWithChanges, type TestStack } from "../../testkit/stack";
import { useStacks } from "../../testkit/stacks";

const suite = useStacks("reliability");
let kit: Kit;
let inFlight: TestStack;
beforeAll(async () => {
  kit = { emu: suite.emu, api: apiOf(suite.emu), stack: await suite.newStack("conflict-kinds", { program: "kinds" }) };
  inFlight = await suite.newStack("conflict");
});

const agent = { name: "reviewer", model: "ultimate", system: "You review pull requests." };

test("a 409 on update fails once with a refresh hint and overwrites nothing", async () => {
  const { api, stack } = kit;
  stack.setArgs({ agents: { reviewer: agent } });
  const id = (await stack.up()).outputs!.reviewer.agentId as string;

  // someone edits the agent in the console (version 1 -> 2); Pulumi's state still says 1
  await api.agents.update(id, { version: 1, description: "hand edit" } as any);
  stack.setArgs({ agents: { reviewer: { ...agent, system: "Be terse." } } });
  let failed: Awaited<ReturnType<typeof stack.run>> | undefined;
  const writes = (await withWrites(kit, async () => (failed = await stack.run("up")))).writes;
  expect(failed!.ok).toBe(false);
  const text = `${failed!.error}\n${failed!.log}`;
  expect(text).toMatch(/changed outside Pulumi/);
  expect(text).toMatch(/pulumi refresh/);
  expect(text).toContain(id);
  expect(writes).toEqual(["PUT /agents/{id}"]); // one attempt, no retry loop
  expect(await api.agents.get(id)).toMatchObject({ version: 2, description: "hand edit", system: agent.system });

  // refresh picks up version 2; up then applies the program (including clearing the description)
  await stack.refresh();
  expect((await withWrites(kit, () => stack.up())).writes).toEqual(["PUT /agents/{id}"]);
  expect(await api.agents.get(id)).toMatchObject({ version: 3, description: "", system: "Be terse." });
  await expectNoDrift(kit, true);
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
  const { emu } = suite;
  const api = apiOf(emu);
  const stack = inFlight;
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
