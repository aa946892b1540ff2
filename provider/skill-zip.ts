// Deterministic zip of a skill directory: files in sorted POSIX order, fixed timestamps and
// modes, and STORE (no compression), so identical files give identical bytes and the same
// SHA-256 on every machine and Node version (deflate output may differ between zlib builds).
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import * as zlib from "node:zlib";
import { zipEntries } from "./zip-read";
import { memoryPath } from "./schemas";
import { defaultRules, IGNORE_FILES, isIgnored, parseIgnore, type IgnoreRule } from "./skill-ignore";

const DOS_DATE_1980_01_01 = (0 << 9) | (1 << 5) | 1;
const REGULAR_FILE_0644 = (0o100644 << 16) >>> 0;

export interface SkillArchive {
  zip: Buffer;
  sha256: string;
  size: number;
  /** The zipped files: sorted POSIX paths relative to the skill directory. */
  files: string[];
  /** sha256 (hex) of each file's bytes, by path: a review names the files a new version changes. */
  fileHashes: Record<string, string>;
}

export class SkillSourceError extends Error {
  readonly path = "source";
}

/**
 * The files a skill uploads, sorted. Ignore files apply to their directory and below; an
 * ignored directory is not entered (as in git, a file below it cannot be re-included).
 */
export function skillFiles(root: string, rel = "", inherited: IgnoreRule[] = defaultRules()): string[] {
  const dir = path.join(root, rel);
  const rules = [...inherited];
  for (const name of IGNORE_FILES) {
    const file = path.join(dir, name);
    if (fs.existsSync(file) && fs.statSync(file).isFile()) rules.push(...parseIgnore(fs.readFileSync(file, "utf8"), rel));
  }
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const relPath = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      if (!isIgnored(rules, relPath, true)) out.push(...skillFiles(root, relPath, rules));
    } else if (entry.isFile() && !isIgnored(rules, relPath, false)) {
      out.push(relPath);
    }
  }
  return out.sort();
}

const mb = (n: number) => `${(n / 1048576).toFixed(2)} MB`;

function crc32(data: Buffer): number {
  return zlib.crc32(data) >>> 0;
}

/** `limit`: refuse, from file sizes and before reading anything, a directory whose zip would be larger. */
export function zipDirectory(source: string, limit?: { bytes: number; reason: string }): SkillArchive {
  const root = path.resolve(source);
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) {
    throw new SkillSourceError(`directory ${source} does not exist (resolved against ${process.cwd()})`);
  }
  const files = skillFiles(root);
  if (!files.includes("SKILL.md")) {
    throw new SkillSourceError(`${source} has no SKILL.md at its top level`);
  }
  // STORE makes the zip's size exact from the file sizes: check it before reading anything.
  const size = files.reduce((n, f) => n + 30 + 46 + 2 * Buffer.byteLength(f) + fs.statSync(path.join(root, f)).size, 22);
  if (limit && size > limit.bytes) {
    throw new SkillSourceError(`zipped skill is ${mb(size)}; over ${mb(limit.bytes)} ${limit.reason} (list files to leave out in .qoderignore)`);
  }
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  const fileHashes: Record<string, string> = {};
  for (const name of files) {
    const data = fs.readFileSync(path.join(root, name));
    fileHashes[name] = createHash("sha256").update(data).digest("hex");
    const nameBuf = Buffer.from(name, "utf8");
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(0, 8); // stored
    local.writeUInt16LE(0, 10); // time 00:00
    local.writeUInt16LE(DOS_DATE_1980_01_01, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBuf.length, 26);
    local.writeUInt16LE(0, 28);
    locals.push(local, nameBuf, data);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(0x0314, 4); // made by: UNIX, 2.0
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(0, 10);
    central.writeUInt16LE(0, 12);
    central.writeUInt16LE(DOS_DATE_1980_01_01, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBuf.length, 28);
    central.writeUInt32LE(REGULAR_FILE_0644, 38);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, nameBuf);
    offset += 30 + nameBuf.length + data.length;
  }
  const centralDir = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(centralDir.length, 12);
  end.writeUInt32LE(offset, 16);
  const zip = Buffer.concat([...locals, centralDir, end]);
  return { zip, sha256: createHash("sha256").update(zip).digest("hex"), size: zip.length, files, fileHashes };
}

/** A skill zip's files may not inflate past this in total (the service's upload limit, with room). */
const MAX_UNZIPPED_BYTES = 64 * 1024 * 1024;

/**
 * The files of a skill zip as it was uploaded (by anyone: deflated, with or without a top folder),
 * relative to the folder holding SKILL.md, which is the zip's root or one directory below.
 * Paths are held to the memory path rule (relative, no `..`, no `//`, no control characters).
 */
export function skillZipFiles(zip: Buffer): { files: Map<string, Buffer> } | { problem: string } {
  const entries = zipEntries(zip);
  if (!entries) return { problem: "not a readable zip" };
  const names = entries.map((e) => e.name).filter((n) => !n.endsWith("/"));
  const top = names.includes("SKILL.md") ? "" : names.find((n) => /^[^/]+\/SKILL\.md$/.test(n))?.replace(/SKILL\.md$/, "");
  if (top === undefined) return { problem: "no SKILL.md at the zip's root or one directory below" };
  const files = new Map<string, Buffer>();
  let total = 0;
  for (const e of entries) {
    if (e.name.endsWith("/")) continue;
    if (!e.name.startsWith(top)) return { problem: `${JSON.stringify(e.name)} lies outside ${top}, the folder holding SKILL.md` };
    const rel = e.name.slice(top.length);
    if (!memoryPath.safeParse(rel).success) return { problem: `${JSON.stringify(e.name)} is not a safe relative file path` };
    try {
      const data = e.read(MAX_UNZIPPED_BYTES - total);
      total += data.length;
      files.set(rel, data);
    } catch (err) {
      return { problem: `${JSON.stringify(e.name)}: ${err instanceof Error ? err.message : String(err)}` };
    }
  }
  return { files };
}

/** Do a directory's files (as `files` lists them) hold exactly the bytes of `zipped`? */
export function sameFiles(root: string, files: string[], zipped: ReadonlyMap<string, Buffer>): boolean {
  return files.length === zipped.size && files.every((f) => zipped.get(f)?.equals(fs.readFileSync(path.join(root, f))) === true);
}
