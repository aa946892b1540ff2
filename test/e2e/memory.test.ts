// Seeded memories with the real Pulumi CLI against a real emulator process, including what
// happens when an agent rewrites a memory at run time.
import type { MemorySpec } from "./programs/kinds";
import { eventOf, expectNoDrift, expectRecreatedAfterDelete, expectRefreshKeepsState, refreshChanges, useKit, withWrites } from "../../testkit/kit";

const kit = useKit("kinds");
const ENTRY = "PUT /memory_stores/{id}/memories/{memory_id}";
const seed: MemorySpec = { store: "store", path: "notes/team.md", content: "Deploys happen on Tuesdays.", metadata: { kind: "seed" } };
const runtime: MemorySpec = { store: "store", path: "notes/agent.md", content: "Nothing learned yet." };
const program = (s: MemorySpec, r: MemorySpec, extraStore = false) => ({
  memoryStores: { store: { name: "team", description: "Team memory" }, ...(extraStore ? { other: { name: "other", description: "Other memory", deletionPolicy: "delete" as const } } : {}) },
  memories: { seed: s, runtime: r },
  // Seed once, then the agent owns the content.
  opts: { runtime: { ignoreChanges: ["content"] } },
});

test("create, no-drift, update, runtime rewrite, out-of-band delete, replace, destroy", async () => {
  const { api, emu, stack } = kit;
  const mem = api.memoryStores.memories;
  // 1. create: the first preview sees storeId unknown (the store does not exist yet) and calls no API
  stack.setArgs(program(seed, runtime));
  await emu.resetStats();
  expect((await stack.preview()).summary).toMatchObject({ create: 4 });
  expect((await emu.stats()).total).toBe(0);
  const up = await stack.up();
  expect(up.summary).toEqual({ create: 4 });
  const storeId = up.outputs!.store.memoryStoreId as string;
  let seedId = up.outputs!.seed.memoryId as string;
  const runtimeId = up.outputs!.runtime.memoryId as string;
  expect(await mem.get(storeId, seedId)).toMatchObject({ path: seed.path, content: seed.content, metadata: seed.metadata, version: 1 });
  expect(await mem.get(storeId, runtimeId)).toMatchObject({ path: runtime.path, content: runtime.content, version: 1 });
  const [res] = (await expectRefreshKeepsState(kit, "Memory")).filter((r) => r.id === seedId);
  expect(res.outputs).toMatchObject({ memoryId: seedId, storeId, version: 1, size: Buffer.byteLength(seed.content as string) });

  // 2. no-drift
  await expectNoDrift(kit);

  // 3. update the seed's content: named in the preview, one PUT carrying the entry's version
  const seed2 = { ...seed, content: "Deploys happen on Wednesdays." };
  stack.setArgs(program(seed2, runtime));
  const plan = await stack.preview();
  expect(eventOf(plan, "Memory", "seed")).toMatchObject({ op: "update", diffs: ["content"] });
  expect((await withWrites(kit, () => stack.up())).writes).toEqual([ENTRY]);
  expect(await mem.get(storeId, seedId)).toMatchObject({ content: seed2.content, version: 2 });

  // 4. runtime rewrite: an agent rewrites both memories through the API while it runs
  await mem.update(storeId, seedId, { content: "Agent: deploys moved to Friday.", version: 2 });
  await mem.update(storeId, runtimeId, { content: "Agent: the build takes 4 minutes.", version: 1 });
  // Without a refresh Pulumi does not know. A program change to the seed now sends the stale
  // entry version: the API answers 409, the run asks for `pulumi refresh`, and the agent's text
  // is not overwritten.
  stack.setArgs(program({ ...seed2, content: "Deploys happen daily." }, runtime));
  let stale: Awaited<ReturnType<typeof stack.run>> | undefined;
  expect((await withWrites(kit, async () => (stale = await stack.run("up")))).writes).toEqual([ENTRY]);
  expect(stale!.ok).toBe(false);
  expect(stale!.error).toMatch(/changed outside Pulumi[\s\S]*pulumi refresh/);
  expect((await mem.get(storeId, seedId)).content).toBe("Agent: deploys moved to Friday.");
  stack.setArgs(program(seed2, runtime));
  const refreshed = await stack.previewRefresh();
  for (const name of ["seed", "runtime"]) {
    const e = eventOf(refreshed, "Memory", name);
    expect(e.new?.outputs?.content).toMatch(/^Agent: /);
    expect(e.old?.outputs?.content).not.toMatch(/^Agent: /);
  }
  expect(refreshChanges(refreshed, "Memory", "seed")).toEqual(["content", "contentSha256", "size"]);
  // `up` after a refresh writes the seed back over the agent's text (the program owns the
  // content), while `ignoreChanges: ["content"]` keeps the runtime memory's new text.
  const converge = (await withWrites(kit, () => stack.up(true))).writes;
  expect(converge).toEqual([ENTRY]);
  expect(await mem.get(storeId, seedId)).toMatchObject({ content: seed2.content, version: 4 });
  expect(await mem.get(storeId, runtimeId)).toMatchObject({ content: "Agent: the build takes 4 minutes.", version: 2 });
  await expectNoDrift(kit, true);

  // 5. out-of-band delete: refresh drops it, up recreates it
  seedId = await expectRecreatedAfterDelete(kit, seedId, () => mem.delete(storeId, seedId), (o) => o.seed.memoryId);
  expect(await mem.get(storeId, seedId)).toMatchObject({ content: seed2.content, version: 1 });

  // 6. replace: a new path and a new store cannot be updated in place (delete first: paths are unique)
  const moved = { ...seed2, path: "notes/deploys.md" };
  const elsewhere = { ...runtime, store: "other" };
  stack.setArgs(program(moved, elsewhere, true));
  const replacePlan = await stack.preview();
  expect(replacePlan.summary).toMatchObject({ replace: 2, create: 1 });
  // deleteBeforeReplace: the engine's first step for each memory is deleting the old one
  expect(eventOf(replacePlan, "Memory", "seed").op).toBe("delete-replaced");
  expect(eventOf(replacePlan, "Memory", "runtime").op).toBe("delete-replaced");
  // ...so the property that forces the replacement is read from the preview's diff display
  expect(replacePlan.log).toMatch(/~ path\s*: "notes\/team.md" => "notes\/deploys.md"/);
  expect(replacePlan.log).toMatch(/~ storeId\s*: "memstore_\w+" => \[unknown\]/);
  const replaced = await stack.up();
  expect(replaced.summary).toMatchObject({ replace: 2, create: 1 });
  const otherId = replaced.outputs!.other.memoryStoreId as string;
  await expect(mem.get(storeId, seedId)).rejects.toMatchObject({ status: 404 });
  await expect(mem.get(storeId, runtimeId)).rejects.toMatchObject({ status: 404 });
  const [newSeed] = await mem.list(storeId).toArray();
  expect(newSeed).toMatchObject({ id: replaced.outputs!.seed.memoryId, path: "notes/deploys.md" });
  expect(await mem.get(otherId, replaced.outputs!.runtime.memoryId)).toMatchObject({ path: runtime.path, content: runtime.content });

  // 7. destroy: memories are deleted (they cannot be archived), then the store is archived
  const writes = (await withWrites(kit, () => stack.destroy())).writes;
  expect(writes.sort()).toEqual([
    "DELETE /memory_stores/{id}",
    "DELETE /memory_stores/{id}/memories/{memory_id}",
    "DELETE /memory_stores/{id}/memories/{memory_id}",
    "POST /memory_stores/{id}/archive",
  ]);
  expect(await api.memoryStores.get(storeId)).toMatchObject({ status: "archived", entry_count: 0 });
});

test("a create refused because the path was taken succeeds once the clash is gone (no 24 h replay of the 409)", async () => {
  const { api, stack } = kit;
  const store = { store: { name: "clash", description: "Clash memory", deletionPolicy: "delete" as const } };
  stack.setArgs({ memoryStores: store });
  const storeId = (await stack.up()).outputs!.store.memoryStoreId as string;
  const clash = await api.memoryStores.memories.create(storeId, { path: "notes/taken.md", content: "made in the console" });

  stack.setArgs({ memoryStores: store, memories: { seed: { store: "store", path: "notes/taken.md", content: "Seeded." } } });
  const refused = await stack.run("up");
  expect(refused.ok).toBe(false);
  expect(refused.error).toMatch(/409/);

  await api.memoryStores.memories.delete(storeId, clash.id);
  const up = await stack.up();
  expect(up.summary).toMatchObject({ create: 1 });
  expect(await api.memoryStores.memories.get(storeId, up.outputs!.seed.memoryId as string)).toMatchObject({ path: "notes/taken.md", content: "Seeded." });
  await stack.destroy();
});
