// Field-level changes between two property bags (state inputs/outputs), shared by the drift and
// plan reports and the tests. Bookkeeping fields that change on every write are left out.
// Nested values are compared key by key (`config.networking.allowedHosts`), so a report shows
// the change itself, never a whole object cut to fit a table cell.
import { isRecord, sameValue } from "../provider/json";
import { CREATE_KEY_FIELD, PROVIDER_FIELD, UNSET_DEFAULTS_FIELD } from "../provider/state-keys";

export const BOOKKEEPING = new Set([PROVIDER_FIELD, CREATE_KEY_FIELD, UNSET_DEFAULTS_FIELD, "updatedAt", "version", "archivedAt", "createdAt", "entryCount", "totalSize"]);

export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

export function fieldChanges(before: Record<string, unknown> | undefined, after: Record<string, unknown> | undefined): FieldChange[] {
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  const out: FieldChange[] = [];
  for (const field of [...keys].sort()) {
    if (BOOKKEEPING.has(field)) continue;
    const b = before?.[field];
    const a = after?.[field];
    if (!sameValue(b, a)) out.push({ field, before: b, after: a });
  }
  return out;
}

/** A field name as a path segment: `metadata.team`, `metadata["a.b"]`. */
function keyPath(parent: string, key: string): string {
  return /^[A-Za-z_$][\w$-]*$/.test(key) ? `${parent}.${key}` : `${parent}[${JSON.stringify(key)}]`;
}

const isObjectList = (v: unknown): v is unknown[] => Array.isArray(v) && v.some((x) => isRecord(x) || Array.isArray(x));

/**
 * One change split into the leaves that differ: objects key by key, lists of objects item by
 * item (`tools[1].enabledTools`). A list of plain values stays whole (its new value reads best).
 */
export function leafChanges(change: FieldChange): FieldChange[] {
  const { field, before: b, after: a } = change;
  if (sameValue(b, a)) return [];
  const bothSides = (x: unknown) => x === undefined || x === null || isRecord(x);
  if ((isRecord(b) || isRecord(a)) && bothSides(b) && bothSides(a)) {
    const bo = isRecord(b) ? b : {};
    const ao = isRecord(a) ? a : {};
    const keys = [...new Set([...Object.keys(bo), ...Object.keys(ao)])].sort((x, y) => x.localeCompare(y));
    return keys.flatMap((k) => leafChanges({ field: keyPath(field, k), before: bo[k], after: ao[k] }));
  }
  const listSide = (x: unknown) => x === undefined || x === null || Array.isArray(x);
  if ((isObjectList(b) || isObjectList(a)) && listSide(b) && listSide(a)) {
    const bl = Array.isArray(b) ? b : [];
    const al = Array.isArray(a) ? a : [];
    return Array.from({ length: Math.max(bl.length, al.length) }, (_, i) => leafChanges({ field: `${field}[${i}]`, before: bl[i], after: al[i] })).flat();
  }
  return [change];
}
