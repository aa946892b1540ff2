// Skill directories on disk for tests: a SKILL.md with frontmatter plus any other files.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export function skillMarkdown(name: string, description: string, body = "Do the thing."): string {
  return `---\nname: ${name}\ndescription: ${description}\n---\n\n${body}\n`;
}

/** Writes `files` (relative POSIX paths → content) under a fresh temp directory, in the given order. */
export function makeSkillDir(files: Record<string, string | Buffer>, prefix = "qoder-skill-"): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  for (const [rel, content] of Object.entries(files)) writeSkillFile(dir, rel, content);
  return dir;
}

export function writeSkillFile(dir: string, rel: string, content: string | Buffer): void {
  const file = path.join(dir, ...rel.split("/"));
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
}
