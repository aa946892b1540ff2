// One stack wires kinds together: an agent uses a skill (its skillId output) and records an
// environment created alongside. A skill content change updates the skill and nothing else.
import * as fs from "node:fs";
import { eventOf, expectNoDrift, useKit, withWrites } from "../../testkit/kit";
import { makeSkillDir, skillMarkdown, writeSkillFile } from "../../testkit/skill-dir";
import { stepsWithChanges } from "../../testkit/stack";

const kit = useKit("wiring");
const source = makeSkillDir({ "SKILL.md": skillMarkdown("pr-helper", "Helps with pull requests"), "checklist.md": "- tests\n" });
afterAll(() => fs.rmSync(source, { recursive: true, force: true }));

test("an agent using a skill and an environment from the same stack", async () => {
  const { api, stack } = kit;
  stack.setArgs({ skillSource: source });
  const up = await stack.up();
  expect(up.summary).toEqual({ create: 4 });
  const { skillId, environmentId, agentId } = up.outputs!;
  const agent = await api.agents.get(agentId);
  expect(agent.skills).toEqual([expect.objectContaining({ type: "custom", skill_id: skillId })]);
  expect(agent.metadata).toEqual({ environment: environmentId });
  expect(await api.environments.get(environmentId)).toMatchObject({ name: "sandbox" });
  expect(await api.skills.get(skillId)).toMatchObject({ name: "pr-helper", version: 1 });

  await expectNoDrift(kit);

  // New skill content: the skill is updated in place (same id), so the agent has nothing to do
  writeSkillFile(source, "checklist.md", "- tests\n- docs\n");
  const plan = await stack.preview();
  expect(eventOf(plan, "Skill").diffs).toContain("contentSha256");
  // A dynamic provider cannot preview an update's outputs, but the resource id stays known, and
  // skillId resolves from it: the preview shows exactly the skill's update, as `up` does.
  expect(stepsWithChanges(plan)).toEqual([expect.stringMatching(/^update helper \[/)]);
  const { result, writes } = await withWrites(kit, () => stack.up());
  expect(result.summary).toEqual({ same: 3, update: 1 });
  expect(writes).toEqual(["PUT /skills/{id}"]);
  expect(result.outputs).toMatchObject({ skillId, skillVersion: 2, agentId, agentVersion: 1 });
  expect(await api.agents.get(agentId)).toMatchObject({ version: 1, skills: agent.skills });

  await expectNoDrift(kit);
});
