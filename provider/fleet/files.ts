// Reading a Fleet directory: YAML files, Markdown with YAML frontmatter, and the problems list
// that makes every error name its file (relative to the working directory) and field.
import * as fs from "node:fs";
import * as path from "node:path";
import { RunError } from "@pulumi/pulumi";
import { MAX_FILE_BYTES } from "../kinds/file";
import { MAX_MEMORY_CONTENT_BYTES } from "../kinds/memory";
import { parseYaml } from "../yaml-text";

/**
 * The largest file of each kind a Fleet reads, checked (stat) before reading. Seeds are the
 * contract's memory limit; agents hold a prompt of up to 100,000 characters (up to 4 bytes each
 * in UTF-8) plus frontmatter; the YAML files are small settings; files/ holds uploads (the
 * File kind's limit).
 */
export const FILE_LIMITS = {
  agent: 512 * 1024,
  yaml: 256 * 1024,
  memorySeed: MAX_MEMORY_CONTENT_BYTES,
  skillManifest: 256 * 1024,
  file: MAX_FILE_BYTES,
} as const;

/**
 * A RunError: Pulumi prints its message alone, without the stack trace and the inspected error
 * object it adds for any other exception a program throws (the problems already name the file).
 */
export class FleetConfigError extends RunError {
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
  const shown = rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel.split(path.sep).join("/") : file;
  // A file name may hold a newline or other control characters: show them escaped, on one line.
  return /[\u0000-\u001f\u007f]/.test(shown) ? JSON.stringify(shown) : shown;
}

/** A text file, or undefined after recording that it is over `limit` bytes (nothing is read then). */
export function readLimited(file: string, limit: number, what: string, problems: Problems): string | undefined {
  return withinLimit(file, limit, what, problems) ? fs.readFileSync(file, "utf8") : undefined;
}

/** false (after recording a problem) when `file` is over `limit` bytes; only stat is used. */
export function withinLimit(file: string, limit: number, what: string, problems: Problems): boolean {
  const size = fs.statSync(file).size;
  if (size <= limit) return true;
  problems.add(file, "", `${formatBytes(size)}; ${what} may be at most ${formatBytes(limit)}`);
  return false;
}

function formatBytes(n: number): string {
  return n < 1024 * 1024 ? `${n} bytes` : `${(n / 1048576).toFixed(1)} MiB (${n} bytes)`;
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

/** A YAML mapping, or undefined after recording why not. `lineOffset`: lines above `text` in the file. */
export function parseYamlMapping(text: string, file: string, field: string, problems: Problems, lineOffset = 0): Record<string, unknown> | undefined {
  const parsed = parseYaml(text, lineOffset);
  if (!parsed.ok) {
    problems.add(file, field, parsed.error);
    return undefined;
  }
  const value = parsed.value ?? {};
  if (typeof value !== "object" || Array.isArray(value)) {
    problems.add(file, field, "must be a YAML mapping (key: value lines)");
    return undefined;
  }
  return value as Record<string, unknown>;
}

/**
 * Names that differ only in case are one file on macOS and Windows checkouts, so the same
 * commit would plan differently there: the second one is refused, naming both.
 */
export class CaseClashes {
  readonly #seen = new Map<string, string>();
  /** false (after recording a problem) when `key` clashes with an earlier one. */
  ok(key: string, file: string, problems: Problems): boolean {
    const folded = key.toLowerCase();
    const earlier = this.#seen.get(folded);
    if (earlier === undefined) {
      this.#seen.set(folded, file);
      return true;
    }
    problems.add(file, "", `clashes with ${displayPath(earlier)}: names that differ only in case (or extension) are one file on macOS and Windows; rename one`);
    return false;
  }
}

/**
 * Two objects of one kind with the same `name` are refused: nothing tells them apart in the
 * console. Unless both files adopt existing objects (`adopted`): the account already holds them.
 */
export class UniqueNames {
  readonly #seen = new Map<string, string>();
  constructor(
    private readonly field: string,
    private readonly adopted: (file: string) => boolean = () => false,
  ) {}
  ok(name: unknown, file: string, problems: Problems): boolean {
    if (typeof name !== "string") return true;
    const earlier = this.#seen.get(name);
    if (earlier === undefined) {
      this.#seen.set(name, file);
      return true;
    }
    if (this.adopted(file) && this.adopted(earlier)) return true;
    problems.add(file, this.field, `${JSON.stringify(name)} is also the ${this.field} of ${displayPath(earlier)}; names must be unique within a fleet`);
    return false;
  }
}
