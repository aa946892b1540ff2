// File names from object names: safe for the Fleet's NAME rule and every file system, unique
// even where macOS and Windows fold case, and the same on every run of an unchanged account.
import { NAME } from "../../provider/fleet/files";

export interface Named {
  id: string;
  name: string;
  createdAt: string;
}

export interface NameClash {
  /** "duplicate": the same name; "case": names equal but for case; "file": different names, one file name. */
  kind: "duplicate" | "case" | "file";
  members: Array<Named & { key: string }>;
}

export interface FileKeys {
  /** id → file key (the file name without extension, or the skill's folder). */
  keys: Map<string, string>;
  clashes: NameClash[];
}

const MAX_KEY = 64;

/** The id's random tail: short, stable, and unique within an account in practice. */
function idTail(id: string, chars = 8): string {
  return id.slice(-chars);
}

/**
 * A name as a file key: accents dropped (NFKD), anything outside NAME's characters a `-`.
 * A name with nothing left (all CJK, emoji) is `fallback`: the kind plus the id's tail.
 */
export function safeKey(name: string, fallback: string): string {
  const ascii = name.normalize("NFKD").replace(/\p{M}+/gu, "");
  const key = ascii
    .replace(/[^A-Za-z0-9_.-]+/g, "-")
    .replace(/^[^A-Za-z0-9]+/, "")
    .slice(0, MAX_KEY)
    .replace(/[-.]+$/, "");
  return key && NAME.test(key) ? key : fallback;
}

function suffixed(key: string, id: string, chars: number): string {
  return `${key.slice(0, MAX_KEY - chars - 1)}-${idTail(id, chars)}`;
}

const byAge = (a: Named, b: Named) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * Keys for `objects` of one kind. The oldest object of a group whose keys fold to one keeps
 * the plain key, the others get `-<id tail>`: adding or removing an unrelated object never
 * renames a file. Every group of two or more is returned as a clash to report.
 */
export function fileKeys(objects: Named[], kindPrefix: string): FileKeys {
  const groups = new Map<string, Array<Named & { key: string }>>();
  for (const o of [...objects].sort(byAge)) {
    const key = safeKey(o.name, `${kindPrefix}-${idTail(o.id)}`);
    const folded = key.toLowerCase();
    groups.set(folded, [...(groups.get(folded) ?? []), { ...o, key }]);
  }
  const keys = new Map<string, string>();
  const taken = new Set<string>();
  const clashes: NameClash[] = [];
  for (const members of groups.values()) {
    members.forEach((m, i) => {
      let key = i === 0 ? m.key : suffixed(m.key, m.id, 8);
      // A suffixed key may equal another object's plain one: lengthen the tail until free.
      for (let chars = 12; taken.has(key.toLowerCase()) && chars <= 32; chars += 4) key = suffixed(m.key, m.id, chars);
      taken.add(key.toLowerCase());
      keys.set(m.id, key);
      m.key = key;
    });
    if (members.length > 1) clashes.push({ kind: clashKind(members), members });
  }
  return { keys, clashes };
}

function clashKind(members: Named[]): NameClash["kind"] {
  const names = new Set(members.map((m) => m.name));
  if (names.size < members.length) return "duplicate";
  return new Set(members.map((m) => m.name.toLowerCase())).size < members.length ? "case" : "file";
}
