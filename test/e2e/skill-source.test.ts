// A skill follows its directory: a file edit shows as contentSha256 in the preview and `up`
// uploads the new zip once, which the server stores as a new version.
import * as fs from "node:fs";
import { zipDirectory } from "../../provider/skill-zip";
import { eventOf, expectNoDrift, useKit, withWrites } from "../../testkit/kit";
import { makeSkillDir, skillMarkdown, writeSkillFile } from "../../testkit/skill-dir";

const kit = useKit("skill");
const source = makeSkillDir({ "SKILL.md": skillMarkdown("pr-helper", "Helps with pull requests"), "templates/review.md": "# Review\n" });
afterAll(() => fs.rmSync(source, { recursive: true, force: true }));

test("editing a file in the skill directory uploads new content as a new version", async () => {
  const { api, stack } = kit;
  // The program names the skill itself: the new upload's frontmatter must not override it.
  stack.setArgs({ skills: { helper: { source, name: "reviewer-kit", description: "Set by the program" } } });
  const first = await stack.up();
  const skillId = first.outputs!.helper.skillId as string;
  expect(first.outputs!.helper).toMatchObject({ version: 1, contentSha256: zipDirectory(source).sha256, name: "reviewer-kit" });

  writeSkillFile(source, "templates/review.md", "# Review\n\nCheck the tests first.\n");
  writeSkillFile(source, "SKILL.md", skillMarkdown("pr-helper-v2", "New frontmatter text"));
  // a new file shows in the preview by name; a secret file next to it is not uploaded at all
  writeSkillFile(source, "templates/checklist.md", "- [ ] tests\n");
  writeSkillFile(source, ".env", "GITHUB_TOKEN=ghp_do_not_upload\n");
  const local = zipDirectory(source);
  expect(local.sha256).not.toBe(first.outputs!.helper.contentSha256);

  const step = eventOf(await stack.preview(), "Skill");
  expect(step.op).toBe("update");
  expect(step.diffs).toEqual(expect.arrayContaining(["contentSha256", "files"]));
  expect(step.new?.inputs?.files).toEqual(["SKILL.md", "templates/checklist.md", "templates/review.md"]);

  const { result: up, writes } = await withWrites(kit, () => stack.up());
  expect(writes).toEqual(["PUT /skills/{id}"]);
  expect(up.outputs!.helper).toEqual({ skillId, version: 2, contentSha256: local.sha256, name: "reviewer-kit", description: "Set by the program" });
  const live = await api.skills.get(skillId, { includeContent: true });
  expect(live).toMatchObject({ version: 2, content_sha256: local.sha256, content_size: local.size, name: "reviewer-kit", description: "Set by the program" });
  expect(live.content).toBe(local.zip.toString("base64"));
  expect(Buffer.from(live.content as string, "base64").includes("ghp_do_not_upload")).toBe(false);
  expect((await api.skills.listVersions(skillId)).map((v) => Number(v.version)).sort()).toEqual([1, 2]);

  await expectNoDrift(kit);
});
