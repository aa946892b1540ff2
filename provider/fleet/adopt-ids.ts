// `.qoder-ids.yaml`: which existing object each Fleet file takes over on its first `up` (written
// by qoder-export). Keyed by the file's path, so an entry whose file was renamed or removed is an
// error naming it, never a silent second object; one id per file, one file per id.
import * as fs from "node:fs";
import * as path from "node:path";
import { idOf } from "../schemas";
import { displayPath, FILE_LIMITS, parseYamlMapping, readLimited, type Problems } from "./files";

export const IDS_FILE = ".qoder-ids.yaml";

/** The id prefix for a Fleet path: the kind its folder (and, in memory-stores/, its depth) holds. */
function idPrefix(rel: string): string | undefined {
  const parts = rel.split("/");
  switch (parts[0]) {
    case "agents": return "agent";
    case "environments": return "env";
    case "skills": return parts.length === 2 ? "skill" : undefined;
    case "vaults": return "vault";
    case "memory-stores": return parts.length === 2 ? "memstore" : parts[2] === "memories" ? "mem" : undefined;
    case "files": return parts.length >= 2 ? "file" : undefined;
    default: return undefined;
  }
}

export class AdoptIds {
  readonly #ids = new Map<string, string>();
  readonly #taken = new Set<string>();

  constructor(private readonly root: string) {}

  /** Reads the file when present; each entry is checked against its path's kind. */
  static read(root: string, problems: Problems): AdoptIds {
    const ids = new AdoptIds(root);
    const file = path.join(root, IDS_FILE);
    if (!fs.existsSync(file)) return ids;
    const text = readLimited(file, FILE_LIMITS.yaml, "an ids file", problems);
    const raw = text === undefined ? undefined : parseYamlMapping(text, file, "", problems);
    const seen = new Map<string, string>();
    for (const [rel, id] of Object.entries(raw ?? {})) {
      const prefix = idPrefix(rel);
      if (!prefix) problems.add(file, JSON.stringify(rel), "not a Fleet file: keys are paths such as agents/reviewer.md, skills/conventions or memory-stores/notes/memories/a.md");
      else if (typeof id !== "string" || !idOf(prefix).safeParse(id).success) problems.add(file, JSON.stringify(rel), `must be a ${prefix}_ id (${prefix}_ + 32 lowercase hex)`);
      else if (seen.has(id)) problems.add(file, JSON.stringify(rel), `${id} is also recorded for ${seen.get(id)}; one object can be adopted by one file only`);
      else {
        seen.set(id, rel);
        ids.#ids.set(rel, id);
      }
    }
    return ids;
  }

  #rel(file: string): string {
    return path.relative(this.root, file).split(path.sep).join("/");
  }

  /** Is the file (or skill folder) adopting an object? */
  has(file: string): boolean {
    return this.#ids.has(this.#rel(file));
  }

  /** The id recorded for the file, marked as used. */
  take(file: string): string | undefined {
    const rel = this.#rel(file);
    const id = this.#ids.get(rel);
    if (id !== undefined) this.#taken.add(rel);
    return id;
  }

  /** Entries no file took because the file is gone (renamed, removed); a refused file reports itself. */
  reportUnused(problems: Problems): void {
    for (const rel of this.#ids.keys()) {
      if (this.#taken.has(rel) || fs.existsSync(path.join(this.root, rel))) continue;
      const where = displayPath(path.join(this.root, rel));
      problems.add(path.join(this.root, IDS_FILE), JSON.stringify(rel), `names no Fleet file (${where}); rename the entry along with its file, or delete the entry`);
    }
  }
}
