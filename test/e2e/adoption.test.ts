// Adoption (the import story of dynamic providers): an agent made outside Pulumi is taken over
// with `adoptId`: no new agent, one update to match the program, clean previews, archived on destroy.
import { expectNoDrift, useKit, withWrites } from "../../testkit/kit";

const kit = useKit("kinds");

test("adoptId takes over an existing agent", async () => {
  const { api, stack } = kit;
  const existing = await api.agents.create({ name: "legacy", model: "ultimate", system: "Old prompt.", metadata: { owner: "ops", team: "platform" } } as any);
  stack.setArgs({ agents: { adopted: { name: "legacy", model: "ultimate", system: "New prompt.", metadata: { team: "platform" }, adoptId: existing.id } } });

  let up: Awaited<ReturnType<typeof stack.up>> | undefined;
  const writes = (await withWrites(kit, async () => (up = await stack.up()))).writes;
  expect(writes).toEqual(["PUT /agents/{id}"]); // no POST /agents
  expect(up!.outputs!.adopted.agentId).toBe(existing.id);
  expect(await api.agents.get(existing.id)).toMatchObject({ version: 2, system: "New prompt.", metadata: { team: "platform" }, archived: false });
  expect(await api.agents.list({ include_archived: true }).toArray()).toHaveLength(1);

  await expectNoDrift(kit);
  await expectNoDrift(kit, true);

  expect((await withWrites(kit, () => stack.destroy())).writes).toEqual(["POST /agents/{id}/archive"]);
  expect(await api.agents.get(existing.id)).toMatchObject({ archived: true, system: "New prompt." });
});
