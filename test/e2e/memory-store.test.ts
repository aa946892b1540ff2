// The memory store lifecycle with the real Pulumi CLI against a real emulator process.
import type { MemoryStoreArgs } from "../../provider";
import { eventOf, expectNoDrift, expectRecreatedAfterDelete, expectRefreshKeepsState, expectReplacedAfterArchive, refreshedFields, useKit, withWrites, type IdOf } from "../../testkit/kit";

const kit = useKit("kinds");
const main: MemoryStoreArgs = { name: "team-notes", description: "Notes the team shares", metadata: { team: "platform", tier: "gold" } };
const scratch: MemoryStoreArgs = { name: "scratch", description: "Throwaway", deletionPolicy: "delete" };
const args = (m: MemoryStoreArgs) => ({ memoryStores: { main: m, scratch } });
const mainId: IdOf = (o) => o.main.memoryStoreId;

test("create, no-drift, update, drift, archive, out-of-band delete, destroy", async () => {
  const { api, stack } = kit;
  // 1. create
  stack.setArgs(args(main));
  const up = await stack.up();
  expect(up.summary).toEqual({ create: 3 });
  let id = up.outputs!.main.memoryStoreId as string;
  const scratchId = up.outputs!.scratch.memoryStoreId as string;
  expect(await api.memoryStores.get(id)).toMatchObject({ name: "team-notes", description: main.description, metadata: main.metadata, status: "active" });
  const [res] = (await expectRefreshKeepsState(kit, "MemoryStore")).filter((r) => r.id === id);
  expect(res.outputs).toMatchObject({ memoryStoreId: id, status: "active", archived: false, entryCount: 0 });

  // 2. no-drift
  await expectNoDrift(kit);

  // 3. update one input (a metadata key removed): preview names it, one write with a null patch
  const edited = { ...main, metadata: { team: "platform" } };
  stack.setArgs(args(edited));
  const plan = await stack.preview();
  expect(plan.summary).toMatchObject({ update: 1, same: 2 });
  expect(eventOf(plan, "MemoryStore", "main")).toMatchObject({ op: "update", diffs: ["metadata"] });
  expect((await withWrites(kit, () => stack.up())).writes).toEqual(["POST /memory_stores/{id}"]);
  expect((await api.memoryStores.get(id)).metadata).toEqual({ team: "platform" });

  // 4. drift: renamed in the console
  await api.memoryStores.update(id, { name: "renamed", description: "changed by hand" });
  expect(await refreshedFields(kit, "MemoryStore", "main")).toEqual(["description", "name"]);
  expect((await stack.up(true)).summary).toMatchObject({ update: 1 });
  expect(await api.memoryStores.get(id)).toMatchObject({ name: "team-notes", description: main.description });
  await expectNoDrift(kit, true);

  // 6. archived out of band: replaced by a new store
  const newId = await expectReplacedAfterArchive(kit, id, () => api.memoryStores.archive(id), mainId);
  expect((await api.memoryStores.get(newId)).status).toBe("active");
  expect((await api.memoryStores.get(id)).status).toBe("archived");
  id = newId;

  // 5. out-of-band delete: refresh drops it, up recreates it
  id = await expectRecreatedAfterDelete(kit, id, () => api.memoryStores.delete(id), mainId);
  expect(await api.memoryStores.get(id)).toMatchObject({ name: "team-notes", metadata: { team: "platform" } });

  // 7. destroy: the default policy archives; deletionPolicy "delete" deletes
  const writes = (await withWrites(kit, () => stack.destroy())).writes;
  expect(writes.sort()).toEqual(["DELETE /memory_stores/{id}", "POST /memory_stores/{id}/archive"]);
  expect((await api.memoryStores.get(id)).status).toBe("archived");
  await expect(api.memoryStores.get(scratchId)).rejects.toMatchObject({ status: 404 });
});
