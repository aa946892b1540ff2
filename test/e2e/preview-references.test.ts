// References between resources stay known while an in-place update is previewed: the id outputs
// (skillId, memoryStoreId, ...) resolve from the resource's `id`, which Pulumi knows during the
// preview of an update, unlike the other outputs of a dynamic resource.
import * as fs from "node:fs";
import { eventOf, useKit, withWrites } from "../../testkit/kit";
import { makeSkillDir, skillMarkdown, writeSkillFile } from "../../testkit/skill-dir";
import { stepsWithChanges } from "../../testkit/stack";

describe("a skill-file change", () => {
  const kit = useKit("wiring");
  const source = makeSkillDir({ "SKILL.md": skillMarkdown("ref-helper", "Helps"), "notes.md": "v1\n" });
  afterAll(() => fs.rmSync(source, { recursive: true, force: true }));

  test("previews exactly one update, the skill; its agent is left alone", async () => {
    const { stack } = kit;
    stack.setArgs({ skillSource: source });
    const up = await stack.up();
    expect(up.summary).toEqual({ create: 4 });

    writeSkillFile(source, "notes.md", "v2\n");
    const plan = await stack.preview();
    expect(plan.summary).toEqual({ same: 3, update: 1 });
    expect(stepsWithChanges(plan)).toEqual([expect.stringMatching(/^update helper \[/)]);
    expect(eventOf(plan, "Skill").diffs).toContain("contentSha256");
    expect(eventOf(plan, "Agent").op).toBe("same");

    const { result, writes } = await withWrites(kit, () => stack.up());
    expect(result.summary).toEqual({ same: 3, update: 1 });
    expect(writes).toEqual(["PUT /skills/{id}"]);
    expect(result.outputs).toMatchObject({ skillId: up.outputs!.skillId, agentId: up.outputs!.agentId, agentVersion: up.outputs!.agentVersion });
  });
});

describe("a memory store's description update", () => {
  const kit = useKit("kinds");
  const program = (description: string) => ({
    memoryStores: { store: { name: "refs", description } },
    memories: { seed: { store: "store", path: "notes/refs.md", content: "Seeded." } },
  });

  test("previews and applies one store update; its memory is neither replaced nor updated", async () => {
    const { stack } = kit;
    stack.setArgs(program("Team memory"));
    const up = await stack.up();
    expect(up.summary).toEqual({ create: 3 });

    stack.setArgs(program("Team memory, revised"));
    const plan = await stack.preview();
    expect(stepsWithChanges(plan)).toEqual(["update store [description]"]);
    expect(eventOf(plan, "Memory").op).toBe("same");

    const { result, writes } = await withWrites(kit, () => stack.up());
    expect(result.summary).toEqual({ same: 2, update: 1 });
    expect(writes).toEqual(["POST /memory_stores/{id}"]);
    expect(result.outputs!.seed).toEqual(up.outputs!.seed); // same memory id and version
  });
});
