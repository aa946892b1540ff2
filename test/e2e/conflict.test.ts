// Optimistic concurrency: an agent edited out of band since the last refresh answers the
// provider's update with 409. The run fails with a refresh hint after one attempt, the hand edit
// survives, and refresh + up converges.
import { expectNoDrift, useKit, writesDuring } from "./harness/kit";

const kit = useKit("kinds");
const agent = { name: "reviewer", model: "ultimate", system: "You review pull requests." };

test("a 409 on update fails once with a refresh hint and overwrites nothing", async () => {
  const { api, stack } = kit;
  stack.setArgs({ agents: { reviewer: agent } });
  const id = (await stack.up()).outputs!.reviewer.agentId as string;

  // someone edits the agent in the console (version 1 -> 2); Pulumi's state still says 1
  await api.agents.update(id, { version: 1, description: "hand edit" } as any);
  stack.setArgs({ agents: { reviewer: { ...agent, system: "Be terse." } } });
  let failed: Awaited<ReturnType<typeof stack.run>> | undefined;
  const writes = await writesDuring(kit, async () => (failed = await stack.run("up")));
  expect(failed!.ok).toBe(false);
  const text = `${failed!.error}\n${failed!.log}`;
  expect(text).toMatch(/changed outside Pulumi/);
  expect(text).toMatch(/pulumi refresh/);
  expect(text).toContain(id);
  expect(writes).toEqual(["PUT /agents/{id}"]); // one attempt, no retry loop
  expect(await api.agents.get(id)).toMatchObject({ version: 2, description: "hand edit", system: agent.system });

  // refresh picks up version 2; up then applies the program (including clearing the description)
  await stack.refresh();
  expect(await writesDuring(kit, () => stack.up())).toEqual(["PUT /agents/{id}"]);
  expect(await api.agents.get(id)).toMatchObject({ version: 3, description: "", system: "Be terse." });
  await expectNoDrift(kit, true);
});
