// A skill follows its directory: a file edit shows as contentSha256 in the preview and `up`
// uploads the new zip once, which the server stores as a new version.
import * as fs from "node:fs";
import { QoderClient } from "../../sdk";
import { zipDirectory } from "../../provider/skill-zip";
import { eventOf, expectNoDrift, TYPES, writesDuring } from "./harness/checks";
import { EmulatorProcess } from "./harness/emulator-process";
import { makeSkillDir, skillMarkdown, writeSkillFile } from "./harness/skill-dir";
import { TestStack } from "./harness/stack";

let emu: EmulatorProcess;
let stack: TestStack;
let api: QoderClient;
let source: string;

beforeAll(async () => {
  emu = await EmulatorProcess.start();
  api = new QoderClient({ token: emu.token, baseUrl: emu.baseUrl, maxRetries: 0 });
  source = makeSkillDir({ "SKILL.md": skillMarkdown("pr-helper", "Helps with pull requests"), "templates/review.md": "# Review\n" });
  stack = new TestStack("skill", emu, { name: "skill-source" });
  await stack.configureToken();
});
afterAll(async () => {
  stack?.cleanup();
  fs.rmSync(source, { recursive: true, force: true });
  await emu?.stop();
});

test("editing a file in the skill directory uploads new content as a new version", async () => {
  // The program names the skill itself: the new upload's frontmatter must not override it.
  stack.setArgs({ skills: { helper: { source, name: "reviewer-kit", description: "Set by the program" } } });
  const first = await stack.up();
  const skillId = first.outputs!.helper.skillId as string;
  expect(first.outputs!.helper).toMatchObject({ version: 1, contentSha256: zipDirectory(source).sha256, name: "reviewer-kit" });

  writeSkillFile(source, "templates/review.md", "# Review\n\nCheck the tests first.\n");
  writeSkillFile(source, "SKILL.md", skillMarkdown("pr-helper-v2", "New frontmatter text"));
  const local = zipDirectory(source);
  expect(local.sha256).not.toBe(first.outputs!.helper.contentSha256);

  const plan = await stack.preview();
  const step = eventOf(plan, TYPES.skill);
  expect(step.op).toBe("update");
  expect(step.diffs).toContain("contentSha256");

  const { result: up, writes } = await writesDuring(emu, () => stack.up());
  expect(writes).toEqual(["PUT /skills/{id}"]);
  expect(up.outputs!.helper).toEqual({ skillId, version: 2, contentSha256: local.sha256, name: "reviewer-kit", description: "Set by the program" });
  const live = await api.skills.get(skillId, { includeContent: true });
  expect(live).toMatchObject({ version: 2, content_sha256: local.sha256, content_size: local.size, name: "reviewer-kit", description: "Set by the program" });
  expect(live.content).toBe(local.zip.toString("base64"));
  expect((await api.skills.listVersions(skillId)).map((v) => Number(v.version)).sort()).toEqual([1, 2]);

  await expectNoDrift(stack, emu);
});
