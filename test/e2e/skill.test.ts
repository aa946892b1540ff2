// The skill lifecycle with the real Pulumi CLI against a real emulator process.
import * as fs from "node:fs";
import { NotFoundError } from "../../sdk";
import { zipDirectory } from "../../provider/skill-zip";
import { eventOf, expectNoDrift, refreshChanges, useKit, withWrites } from "../../testkit/kit";
import { makeSkillDir, skillMarkdown } from "../../testkit/skill-dir";

const kit = useKit("skill");
const source = makeSkillDir({ "SKILL.md": skillMarkdown("pr-helper", "Helps with pull requests"), "templates/review.md": "# Review\n" });
afterAll(() => fs.rmSync(source, { recursive: true, force: true }));

test("create, no-drift, update, drift, out-of-band delete, destroy", async () => {
  const { api, stack } = kit;
  const local = zipDirectory(source);

  // 1. create: name and description come from SKILL.md's frontmatter, the content is our zip
  stack.setArgs({ skills: { helper: { source, metadata: { team: "platform" } } } });
  const up = await stack.up();
  expect(up.summary).toEqual({ create: 2 });
  const skillId = up.outputs!.helper.skillId as string;
  expect(up.outputs!.helper).toEqual({ skillId, version: 1, contentSha256: local.sha256, name: "pr-helper", description: "Helps with pull requests" });
  const live = await api.skills.get(skillId, { includeContent: true });
  expect(live).toMatchObject({ name: "pr-helper", description: "Helps with pull requests", version: 1, metadata: { team: "platform" } });
  expect(live).toMatchObject({ content_sha256: local.sha256, content_size: local.size, content: local.zip.toString("base64") });

  // 2. no-drift
  await expectNoDrift(kit);

  // 3. update one input: one PUT, named in the preview; metadata alone does not bump the version
  const metadata = { team: "platform", tier: "gold" };
  stack.setArgs({ skills: { helper: { source, metadata } } });
  expect(eventOf(await stack.preview(), "Skill")).toMatchObject({ op: "update", diffs: ["metadata"] });
  expect((await withWrites(kit, () => stack.up())).writes).toEqual(["PUT /skills/{id}"]);
  expect(await api.skills.get(skillId)).toMatchObject({ metadata, version: 1 });

  // 4. drift: metadata and description edited out of band. Both show in a refresh; the
  // metadata the program sets converges back, the description it leaves unset stays the server's.
  await api.skills.update(skillId, { metadata: { team: "ops" }, description: "edited by hand" });
  expect(refreshChanges(await stack.previewRefresh(), "Skill")).toEqual(["description", "metadata"]);
  expect((await withWrites(kit, () => stack.up(true))).writes).toEqual(["PUT /skills/{id}"]);
  expect(await api.skills.get(skillId)).toMatchObject({ metadata, description: "edited by hand", version: 1 });
  await expectNoDrift(kit, true);

  // 5. out-of-band delete: refresh drops it, up uploads it again
  await api.skills.delete(skillId);
  expect((await stack.refresh()).summary).toMatchObject({ delete: 1 });
  const recreated = await stack.up();
  expect(recreated.summary).toMatchObject({ create: 1 });
  const newId = recreated.outputs!.helper.skillId as string;
  expect(newId).not.toBe(skillId);
  expect(await api.skills.get(newId)).toMatchObject({ content_sha256: local.sha256, metadata, version: 1 });

  // 6. (no skill field forces a replacement: content, name, description and metadata update in place)
  // 7. destroy: skills cannot be archived, so destroy deletes
  expect((await withWrites(kit, () => stack.destroy())).writes).toEqual(["DELETE /skills/{id}"]);
  await expect(api.skills.get(newId)).rejects.toBeInstanceOf(NotFoundError);
});
