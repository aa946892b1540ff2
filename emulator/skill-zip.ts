import { readZip, ZipLimitError, type ZipEntry } from "./zip";

/** Bounds on what one skill archive may inflate to; checked while inflating, never after. */
export interface ZipLimits {
  maxEntryBytes: number;
  maxTotalBytes: number;
  maxEntries: number;
}

const MiB = 1024 * 1024;

/** The docs allow a 10 MB zip (50 MiB in one generation); uncompressed we allow a little more. */
export const DEFAULT_ZIP_LIMITS: ZipLimits = { maxEntryBytes: 16 * MiB, maxTotalBytes: 64 * MiB, maxEntries: 10_000 };

const NOT_A_ZIP = "Only .zip files are accepted.";
const SYMLINK = 0o120000;
const FILE_TYPE = 0o170000;

/** True when an entry name could escape or confuse the directory it is unpacked into. */
function unsafeName(name: string): boolean {
  const path = name.endsWith("/") ? name.slice(0, -1) : name;
  if (path === "" || path.startsWith("/") || /^[A-Za-z]:/.test(path)) return true;
  if (/[\u0000-\u001f\u007f\\]/.test(path)) return true;
  return path.split("/").some((segment) => segment === "" || segment === "." || segment === "..");
}

const isSkillMd = (name: string) => name === "SKILL.md" || /^[^/]+\/SKILL\.md$/.test(name);

function checkEntries(entries: ZipEntry[], limits: ZipLimits): string | undefined {
  if (entries.length > limits.maxEntries) return `A skill zip may have at most ${limits.maxEntries} entries.`;
  const seen = new Set<string>();
  for (const e of entries) {
    const shown = JSON.stringify(e.name);
    if (unsafeName(e.name)) return `Zip entry ${shown} has an unsafe path (absolute, '.', '..', empty segment, backslash or control character).`;
    if (e.mode !== undefined && (e.mode & FILE_TYPE) === SYMLINK) return `Zip entry ${shown} is a symbolic link; links are not accepted.`;
    if (e.flags & 1) return NOT_A_ZIP; // encrypted
    if (seen.has(e.name)) return `Zip entry ${shown} appears more than once.`;
    seen.add(e.name);
  }
  const skillMds = entries.filter((e) => isSkillMd(e.name)).length;
  if (skillMds === 0) return "SKILL.md must be at the zip root or one directory below.";
  if (skillMds > 1) return "The zip must contain exactly one SKILL.md (at the root or one directory below).";
  return undefined;
}

/**
 * Reads a skill archive the way the server unpacks it: every entry is checked and inflated
 * (so corrupt data anywhere is refused), within `limits`. Returns SKILL.md's bytes or the
 * reason for the documented 400.
 */
export function readSkillZip(bytes: Buffer, limits: ZipLimits): { skillMd: Buffer } | { problem: string } {
  const entries = readZip(bytes);
  if (!entries) return { problem: NOT_A_ZIP };
  const problem = checkEntries(entries, limits);
  if (problem) return { problem };
  const tooBig = `A skill zip may inflate to at most ${limits.maxEntryBytes} bytes per entry and ${limits.maxTotalBytes} bytes in total (uncompressed).`;
  let remaining = limits.maxTotalBytes;
  let skillMd: Buffer | undefined;
  for (const e of entries) {
    if (e.name.endsWith("/")) continue;
    if (e.size > limits.maxEntryBytes || e.size > remaining) return { problem: tooBig }; // declared size: a cheap early no
    let data: Buffer;
    try {
      data = e.read(Math.min(limits.maxEntryBytes, remaining));
    } catch (err) {
      return { problem: err instanceof ZipLimitError ? tooBig : NOT_A_ZIP };
    }
    remaining -= data.length;
    if (isSkillMd(e.name)) skillMd = data;
  }
  return { skillMd: skillMd ?? Buffer.alloc(0) };
}
