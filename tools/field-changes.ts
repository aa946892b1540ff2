// Field-level changes between two property bags (state inputs/outputs), shared by the drift and
// plan reports and the tests. Bookkeeping fields that change on every write are left out.
import { sameValue } from "../provider/json";

export const BOOKKEEPING = new Set(["__provider", "__createKey", "updatedAt", "version", "archivedAt", "createdAt", "entryCount", "totalSize"]);

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
