// Plain-JSON helpers shared by check, diff and read. The engine's Struct conversion rejects
// undefined/Buffer/BigInt and silently turns Dates into {}, so everything the provider returns
// goes through `plain` first.

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Pulumi's marker for a value that is not known during preview. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export function isUnknown(v: unknown): boolean {
  return v === UNKNOWN;
}

/** True when the value or anything inside it is unknown (preview with unresolved outputs). */
export function containsUnknown(v: unknown): boolean {
  if (v === UNKNOWN) return true;
  if (Array.isArray(v)) return v.some(containsUnknown);
  if (v && typeof v === "object") return Object.values(v).some(containsUnknown);
  return false;
}

/** Deep copy as plain JSON: drops undefined, converts Dates to ISO strings. */
export function plain<T>(v: T): T {
  return JSON.parse(JSON.stringify(v ?? null)) as T;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === "object" && !Array.isArray(v);
}

/** Empty means "the server default": absent, null, "", [] or {}. */
export function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null || v === "") return true;
  if (Array.isArray(v)) return v.length === 0;
  if (isRecord(v)) return Object.keys(v).length === 0;
  return false;
}

/**
 * Canonical form for comparison: object keys sorted, empty values dropped from objects, so that
 * `""` vs absent, `{}` vs absent and key order never show as a difference. List order is kept:
 * the API stores lists as given.
 */
export function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (isRecord(v)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      const c = canonical(v[k]);
      if (!isEmpty(c)) out[k] = c;
    }
    return out;
  }
  return v === null || v === "" ? undefined : v;
}

export function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a) ?? null) === JSON.stringify(canonical(b) ?? null);
}
