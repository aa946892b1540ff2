// getModels() and getAgent() in a program: read-only calls with the stack's qoder:token.
import { useKit, withWrites } from "../../testkit/kit";

const kit = useKit("lookups");

test("a program reads the models and an agent (latest and a pinned version)", async () => {
  const { api, stack } = kit;
  const created = await api.agents.create({ name: "looked-up", model: "ultimate", system: "first", metadata: { team: "a" } } as any);
  await api.agents.update(created.id, { version: 1, system: "second" } as any);

  stack.setArgs({ agentId: created.id, version: 1 });
  const { result, writes } = await withWrites(kit, () => stack.up());
  expect(writes).toEqual([]);
  expect(result.summary).toEqual({ create: 1 }); // the stack itself: look-ups create nothing

  const models = await api.models.list();
  expect(models.length).toBeGreaterThan(0);
  expect(result.outputs!.models).toEqual(
    models.map((m) => JSON.parse(JSON.stringify({ id: m.id, displayName: m.display_name, efforts: m.efforts, defaultEffort: m.default_effort }))),
  );
  expect(result.outputs!.agent).toMatchObject({ agentId: created.id, name: "looked-up", model: "ultimate", system: "second", metadata: { team: "a" }, version: 2 });
  expect(result.outputs!.pinned).toMatchObject({ agentId: created.id, system: "first", version: 1 });
});
