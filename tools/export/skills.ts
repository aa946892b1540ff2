// skills/<key>/: the files of the skill's current zip (downloaded with ?include_content=true),
// SKILL.md at the folder's top, exactly the files the Fleet would zip again.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Skill } from "../../sdk";
import { isEmpty } from "../../provider/json";
import { skillFiles, skillZipFiles } from "../../provider/skill-zip";
import { skillDir } from "./layout";
import { subject, type ExportPlan } from "./plan";

export interface SkillContext {
  keys: Map<string, string>;
}

/**
 * The files the Fleet would zip from the folder (its ignore rules: .env, keys, .gitignore...),
 * found by writing them to a scratch folder: an ignored file would change the content on `up`.
 */
function ignoredByFleet(files: ReadonlyMap<string, Buffer>): string[] {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "qoder-export-skill-"));
  try {
    for (const [rel, data] of files) {
      fs.mkdirSync(path.dirname(path.join(scratch, rel)), { recursive: true });
      fs.writeFileSync(path.join(scratch, rel), data);
    }
    const zipped = new Set(skillFiles(scratch));
    return [...files.keys()].filter((f) => !zipped.has(f));
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** True when the skill was written. */
export function exportSkill(s: Skill, ctx: SkillContext, plan: ExportPlan): boolean {
  const who = subject("skill", s.name, s.id);
  const problems: string[] = [];
  // A Fleet skill is its folder alone: metadata set in the console would be cleared on `up`.
  if (!isEmpty(s.metadata)) problems.push("metadata: a skill folder cannot carry metadata (the Fleet sets none)");
  const unzipped = typeof s.content === "string" && s.content_encoding === "base64" ? skillZipFiles(Buffer.from(s.content, "base64")) : undefined;
  if (unzipped && "problem" in unzipped) problems.push(`content: ${unzipped.problem}`);
  const files = unzipped && "files" in unzipped ? unzipped.files : undefined;
  if (!files && !problems.length) problems.push("content: the API gave no base64 content for this skill");
  if (files && !problems.length) {
    for (const f of ignoredByFleet(files)) problems.push(`content: ${f} is left out by the Fleet's ignore rules (provider/skill-ignore.ts), so \`up\` would upload different content`);
  }
  if (!files || problems.length) {
    plan.refuse(who, problems);
    return false;
  }
  const dir = skillDir(ctx.keys.get(s.id)!);
  for (const [rel, data] of [...files].sort(([a], [b]) => (a < b ? -1 : 1))) plan.write(`${dir}/${rel}`, data);
  if (s.skill_type && s.skill_type !== "custom") plan.notes.push({ subject: who, detail: `skill_type ${s.skill_type}: a Fleet creates custom skills; the provider leaves the type as it is` });
  plan.ids.set(dir, s.id);
  plan.counts.skills++;
  return true;
}
