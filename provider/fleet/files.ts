// Reading a Fleet directory: YAML files, Markdown with YAML frontmatter, and the problems list
// that makes every error name its file (relative to the working directory) and field.
import * as fs from "node:fs";
import * as path from "node:path";
import { parseDocument } from "yaml";

export class FleetConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid Qoder fleet configuration:\n  ${problems.join("\n  ")}`);
    this.name = "FleetConfigError";
  }
}

/** Collects problems for one file: `qoder/agents/reviewer.md: frontmatter.modle: unknown key`. */
export class Problems {
  readonly list: string[] = [];
  add(file: string, field: string, message: string): void {
    this.list.push(`${displayPath(file)}: ${field ? `${field}: ` : ""}${message}`);
  }
  throwIfAny(): void {
    if (this.list.length) throw new FleetConfigError(this.list);
  }
}

export function displayPath(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel.split(path.sep).join("/") : file;
}

/** Names become resource names and references: keep them boring. */
export const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** Entries of a folder, hidden files (.gitkeep, .DS_Store) skipped; [] when it is absent. */
export function entries(dir: string): fs.Dirent[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => !e.name.startsWith("."))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Every file below dir, as sorted POSIX paths relative to it. */
export function filesBelow(dir: string, rel = ""): string[] {
  const out: string[] = [];
  for (const e of entries(path.join(dir, rel))) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...filesBelow(dir, r));
    else if (e.isFile()) out.push(r);
  }
  return out.sort();
}

/** A YAML mapping, or undefined after recording why not. */
export function parseYamlMapping(text: string, file: string, field: string, problems: Problems): Record<string, unknown> | undefined {
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length) {
    problems.add(file, field, `invalid YAML: ${doc.errors[0].message.split("\n")[0]}`);
    return undefined;
  }
  const value = doc.toJS() ?? {};
  if (typeof value !== "object" || Array.isArray(value)) {
    problems.add(file, field, "must be a YAML mapping (key: value lines)");
    return undefined;
  }
  return value as Record<string, unknown>;
}

/** Splits `---\n<yaml>\n---\n<body>`; a file without frontmatter is all body. */
export function splitFrontmatter(text: string): { frontmatter: string | undefined; body: string } {
  const m = /^---[ \t]*\r?\n([\s\S]*?)\r?\n?---[ \t]*(?:\r?\n|$)([\s\S]*)$/.exec(text);
  return m ? { frontmatter: m[1], body: m[2] } : { frontmatter: undefined, body: text };
}
