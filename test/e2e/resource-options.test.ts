// Pulumi's own resource options act at the engine level and must keep working with our resources.
import { useKit } from "../../testkit/kit";

const kit = useKit("agent");

test("retainOnDelete keeps the object untouched; protect refuses destroy", async () => {
  const { api, stack, emu } = kit;
  const args = { name: "kept", model: "ultimate", deletionPolicy: "delete" };
  stack.setArgs({ agents: { kept: args, guarded: { ...args, name: "guarded" } }, opts: { kept: { retainOnDelete: true }, guarded: { protect: true } } });
  const up = await stack.up();
  const keptId = up.outputs!.kept.agentId as string;
  const guardedId = up.outputs!.guarded.agentId as string;

  const refused = await stack.run("destroy");
  expect(refused.ok).toBe(false);
  expect(refused.error).toMatch(/protected/);
  expect((await api.agents.get(guardedId)).archived).toBe(false);

  // Unprotect, then destroy: the retained agent is neither deleted nor archived.
  stack.setArgs({ agents: { kept: args, guarded: { ...args, name: "guarded" } }, opts: { kept: { retainOnDelete: true } } });
  await stack.up();
  await emu.resetStats();
  await stack.destroy();
  const kept = await api.agents.get(keptId);
  expect(kept.archived).toBe(false);
  const writes = (await emu.stats()).log.filter((e) => e.method !== "GET").map((e) => `${e.method} ${e.path}`);
  expect(writes).toEqual([`DELETE /agents/${guardedId}`]);
});
