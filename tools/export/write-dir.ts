// Puts an export in place whole or not at all: written into a temporary folder beside the
// target, then renamed over it. A target holding anything else is refused unless `force`.
import * as fs from "node:fs";
import * as path from "node:path";

export type Files = ReadonlyMap<string, Buffer>;

export interface DirDiff {
  added: string[];
  changed: string[];
  removed: string[];
}

export type DirState = { state: "absent" } | { state: "same" } | ({ state: "differs" } & DirDiff);

export class TargetError extends Error {}

/** Every file below dir (hidden ones too), as sorted POSIX paths. */
function filesIn(dir: string, rel = ""): string[] {
  return fs
    .readdirSync(path.join(dir, rel), { withFileTypes: true })
    .flatMap((e) => {
      const r = rel ? `${rel}/${e.name}` : e.name;
      return e.isDirectory() ? filesIn(dir, r) : [r];
    })
    .sort();
}

/** How `dir` compares with `files`; an empty folder counts as absent. */
export function compareDir(dir: string, files: Files): DirState {
  if (!fs.existsSync(dir)) return { state: "absent" };
  if (!fs.statSync(dir).isDirectory()) throw new TargetError(`${dir} exists and is not a directory`);
  const existing = filesIn(dir);
  if (!existing.length) return { state: "absent" };
  const have = new Set(existing);
  const added = [...files.keys()].filter((f) => !have.has(f)).sort();
  const removed = existing.filter((f) => !files.has(f));
  const changed = existing.filter((f) => files.has(f) && !fs.readFileSync(path.join(dir, f)).equals(files.get(f)!));
  return added.length || removed.length || changed.length ? { state: "differs", added, changed, removed } : { state: "same" };
}

export type WriteResult = "created" | "unchanged" | "replaced";

export function writeDir(dir: string, files: Files, o: { force: boolean }): WriteResult {
  const target = path.resolve(dir);
  const now = compareDir(target, files);
  if (now.state === "same") return "unchanged";
  if (now.state === "differs" && !o.force) {
    throw new TargetError(`${dir} already holds other content (${describe(now)}); nothing was written. Pass --force to replace it, or choose another --dir`);
  }
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const tmp = fs.mkdtempSync(path.join(path.dirname(target), `.${path.basename(target)}.export-`));
  try {
    for (const [rel, data] of files) {
      const file = path.join(tmp, ...rel.split("/"));
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, data);
    }
    if (now.state === "absent") {
      if (fs.existsSync(target)) fs.rmSync(target, { recursive: true }); // only empty folders: make room for the rename
      fs.renameSync(tmp, target);
      return "created";
    }
    const old = `${tmp}.old`;
    fs.renameSync(target, old);
    try {
      fs.renameSync(tmp, target);
    } catch (e) {
      fs.renameSync(old, target);
      throw e;
    }
    fs.rmSync(old, { recursive: true, force: true });
    return "replaced";
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

export function describe(d: DirDiff): string {
  const parts = [
    d.added.length && `${d.added.length} new`,
    d.changed.length && `${d.changed.length} changed: ${d.changed.slice(0, 5).join(", ")}${d.changed.length > 5 ? ", …" : ""}`,
    d.removed.length && `${d.removed.length} not in the export: ${d.removed.slice(0, 5).join(", ")}${d.removed.length > 5 ? ", …" : ""}`,
  ].filter(Boolean);
  return parts.join("; ");
}
