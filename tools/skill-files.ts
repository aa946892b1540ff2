// A skill update as a reviewer reads it: which files were added, removed or changed, with a
// diff for text files. State keeps a sha256 per uploaded file (`fileHashes`) but not the text,
// so the old side comes from git: the version of the file, among HEAD and the last commits
// that touched it, whose hash is the one in state. No match (a shallow clone, an edit never
// committed), no diff: the row says so rather than diffing against a guess.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { isRecord } from "../provider/json";
import { unifiedDiff } from "./line-diff";
import type { FileReport } from "./report";

/** Texts above this are not diffed in a PR comment. */
const MAX_TEXT_BYTES = 256 * 1024;
/** Commits searched for the deployed version of a file. */
const HISTORY_DEPTH = 20;

type Inputs = Record<string, unknown> | undefined;

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);
const hashes = (v: unknown): Record<string, string> | undefined =>
  isRecord(v) ? Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === "string")) : undefined;

export const sha256 = (b: Buffer): string => createHash("sha256").update(b).digest("hex");

/** Text, or undefined for binary content (a NUL byte or invalid UTF-8) and large files. */
function asText(b: Buffer | undefined): string | undefined {
  if (!b || b.length > MAX_TEXT_BYTES || b.includes(0)) return undefined;
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(b);
  } catch {
    return undefined;
  }
}

function git(args: string[], cwd: string): Buffer | undefined {
  try {
    return execFileSync("git", args, { cwd, timeout: 10_000, maxBuffer: 4 * MAX_TEXT_BYTES, stdio: ["ignore", "pipe", "ignore"] });
  } catch {
    return undefined;
  }
}

/** The committed content of `file` whose sha256 is `hash`, if git has it. */
function committed(file: string, hash: string): Buffer | undefined {
  const dir = path.dirname(file);
  const top = git(["rev-parse", "--show-toplevel"], fs.existsSync(dir) ? dir : process.cwd())?.toString().trim();
  if (!top) return undefined;
  const rel = path.relative(top, file).split(path.sep).join("/");
  if (rel.startsWith("..")) return undefined;
  const revs = ["HEAD", ...(git(["rev-list", `--max-count=${HISTORY_DEPTH}`, "HEAD", "--", rel], top)?.toString().split("\n").filter(Boolean) ?? [])];
  for (const rev of revs) {
    const content = git(["show", `${rev}:${rel}`], top);
    if (content && sha256(content) === hash) return content;
  }
  return undefined;
}

/** The file on disk, if its hash is the one the preview computed (or none was). */
function local(file: string, hash: string | undefined): Buffer | undefined {
  try {
    const content = fs.readFileSync(file);
    return hash === undefined || sha256(content) === hash ? content : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The file changes between two Skill input bags (`files`, `fileHashes`, `source`), or undefined
 * when neither lists files. `cwd` is the program's directory: `source` is relative to it.
 */
export function skillFileChanges(olds: Inputs, news: Inputs, cwd: string): FileReport[] | undefined {
  const before = strings(olds?.files);
  const after = strings(news?.files);
  if (!before.length && !after.length) return undefined;
  const oldHashes = hashes(olds?.fileHashes);
  const newHashes = hashes(news?.fileHashes);
  const source = typeof news?.source === "string" ? news.source : typeof olds?.source === "string" ? olds.source : undefined;
  const oldSource = typeof olds?.source === "string" ? olds.source : source;
  const out: FileReport[] = [];
  for (const p of [...new Set([...before, ...after])].sort((x, y) => x.localeCompare(y))) {
    const change = !before.includes(p) ? "added" : !after.includes(p) ? "removed" : oldHashes?.[p] && newHashes?.[p] && oldHashes[p] !== newHashes[p] ? "changed" : undefined;
    if (!change) continue;
    const newPath = source === undefined ? undefined : path.resolve(cwd, source, p);
    const oldPath = oldSource === undefined ? undefined : path.resolve(cwd, oldSource, p);
    const oldBytes = change === "added" ? Buffer.alloc(0) : oldPath && oldHashes?.[p] ? committed(oldPath, oldHashes[p]) : undefined;
    const newBytes = change === "removed" ? Buffer.alloc(0) : newPath ? local(newPath, newHashes?.[p]) : undefined;
    if (oldBytes === undefined || newBytes === undefined) {
      out.push({ path: p, change, noDiff: oldBytes === undefined ? "old text not in git history" : "new text not on disk" });
      continue;
    }
    const [a, b] = [asText(oldBytes), asText(newBytes)];
    if (a === undefined || b === undefined) {
      out.push({ path: p, change, noDiff: "binary or over 256 KiB" });
      continue;
    }
    out.push({ path: p, change, diff: unifiedDiff(a, b, { from: change === "added" ? "/dev/null" : `a/${p}`, to: change === "removed" ? "/dev/null" : `b/${p}` }) });
  }
  return out;
}
