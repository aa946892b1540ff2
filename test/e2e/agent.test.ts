// The agent lifecycle with the real Pulumi CLI against a real emulator process.
import { QoderClient } from "../../sdk";
import { fieldChanges } from "../../tools/field-changes";
import { EmulatorProcess, writesOf } from "../../testkit/emulator-process";
import { expectReplacedAfterArchive } from "../../testkit/kit";
import { changed, resourcesOf, TestStack } from "../../testkit/stack";

const AGENT_TYPE = "pulumi-nodejs:dynamic/qoder:Agent";
let emu: EmulatorProcess;
let stack: TestStack;
let api: QoderClient;

const base = {
  name: "reviewer",
  model: "ultimate",
  system: "You review pull requests.",
  tools: [{ type: "agent_toolset_20260401", enabledTools: ["Read", "Grep"] }],
  metadata: { team: "platform", tier: "gold" },
};

beforeAll(async () => {
  emu = await EmulatorProcess.start();
  api = new QoderClient({ token: emu.token, baseUrl: emu.baseUrl, maxRetries: 0 });
  stack = new TestStack("agent", emu);
  await stack.configureToken();
});
afterAll(async () => {
  stack?.cleanup();
  await emu?.stop();
});

async function onlyAgent() {
  const all = await api.agents.list({ include_archived: true }).toArray();
  expect(all).toHaveLength(1);
  return all[0];
}

test("create, no-drift, update, drift, out-of-band delete, archived replace, destroy", async () => {
  // 1. create
  stack.setArgs({ agents: { reviewer: base } });
  const up = await stack.up();
  expect(up.summary).toEqual({ create: 2 }); // the stack and the agent
  const agentId = up.outputs!.reviewer.agentId as string;
  const live = await onlyAgent();
  expect(live).toMatchObject({ id: agentId, name: "reviewer", model: "ultimate", system: base.system, metadata: base.metadata, version: 1 });
  expect(live.tools).toEqual([{ type: "agent_toolset_20260401", enabled_tools: ["Read", "Grep"] }]);
  const state = await stack.exportState();
  const [res] = resourcesOf(state, AGENT_TYPE);
  expect(res.id).toBe(agentId);
  expect(res.outputs.agentId).toBe(agentId);
  expect(Buffer.byteLength(res.inputs.__provider)).toBeLessThan(2560);

  // 2. no-drift: nothing to do, and not a single write reaches the API
  await emu.resetStats();
  const again = await stack.preview();
  expect(changed(again.summary)).toBe(0);
  const noop = await stack.up();
  expect(changed(noop.summary)).toBe(0);
  expect((await emu.stats()).writes).toBe(0);

  // 3. update one input: exactly one write, and the preview names the property
  stack.setArgs({ agents: { reviewer: { ...base, system: "You review pull requests carefully." } } });
  const plan = await stack.preview();
  expect(plan.summary).toMatchObject({ update: 1 });
  const step = plan.events.find((e) => e.type === AGENT_TYPE)!;
  expect(step.op).toBe("update");
  expect(step.diffs).toEqual(["system"]);
  await emu.resetStats();
  const upd = await stack.up();
  expect(upd.summary).toMatchObject({ update: 1 });
  expect(writesOf(await emu.stats())).toEqual(["PUT /agents/{id}"]);
  expect(await onlyAgent()).toMatchObject({ version: 2, system: "You review pull requests carefully." });

  // 4. drift: someone edits the agent in the console
  const current = await onlyAgent();
  await api.agents.update(agentId, { version: current.version, description: "edited by hand", metadata: { tier: null, owner: "bob" } } as any);
  const drift = await stack.previewRefresh();
  const refreshStep = drift.events.find((e) => e.type === AGENT_TYPE)!;
  expect(refreshStep.op).toBe("refresh");
  expect(drift.summary).toMatchObject({ update: 1 });
  // refresh events carry no diff list: the changed fields are those whose state differs
  expect(fieldChanges(refreshStep.old?.outputs, refreshStep.new?.outputs).map((c) => c.field)).toEqual(["description", "metadata"]);
  expect((await stack.preview()).summary).toEqual({ same: 2 }); // preview-only refresh wrote nothing
  const converge = await stack.up(true);
  expect(converge.summary).toMatchObject({ update: 1 });
  const healed = await onlyAgent();
  expect(healed.description).toBe("");
  expect(healed.metadata).toEqual(base.metadata);
  expect(changed((await stack.preview(true)).summary)).toBe(0);

  // 5. out-of-band delete: refresh drops it, up recreates it
  await api.agents.delete(agentId);
  const gone = await stack.refresh();
  expect(gone.summary).toMatchObject({ delete: 1 });
  const recreated = await stack.up();
  expect(recreated.summary).toMatchObject({ create: 1 });
  const newId = recreated.outputs!.reviewer.agentId;
  expect(newId).not.toBe(agentId);

  // 6. archived out of band: archive is one-way, so only a new agent converges
  const liveId = await expectReplacedAfterArchive({ emu, api, stack }, newId, () => api.agents.archive(newId), (o) => o.reviewer.agentId);
  expect(await api.agents.get(liveId)).toMatchObject({ archived: false, system: "You review pull requests carefully." });

  // 7. destroy: the default deletion policy archives (one-way), it does not delete
  await stack.destroy();
  const after = await api.agents.get(liveId);
  expect(after.archived).toBe(true);
});
