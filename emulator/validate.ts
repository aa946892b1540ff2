import { badRequest } from "./errors";

export type Json = Record<string, unknown>;

export const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
export const has = (body: Json, key: string): boolean => Object.prototype.hasOwnProperty.call(body, key);
/** Length in Unicode code points, the unit the docs' limits are stated in. */
export const charLength = (s: string): number => [...s].length;

export function required(body: Json, key: string, param = key): unknown {
  if (!has(body, key) || body[key] === undefined || body[key] === null) {
    throw badRequest(`Missing required field: ${key}`, param);
  }
  return body[key];
}

export function string(value: unknown, param: string, opts: { min?: number; max?: number } = {}): string {
  if (typeof value !== "string") throw badRequest(`Field '${param}' must be a string.`, param);
  const n = charLength(value);
  if (opts.min !== undefined && n < opts.min) {
    throw badRequest(opts.min === 1 ? `Field '${param}' must not be empty.` : `Field '${param}' must be at least ${opts.min} characters.`, param);
  }
  if (opts.max !== undefined && n > opts.max) throw badRequest(`Field '${param}' must be at most ${opts.max} characters.`, param);
  return value;
}

export function object(value: unknown, param: string): Json {
  if (!isObject(value)) throw badRequest(`Field '${param}' must be an object.`, param);
  return value;
}

export function array(value: unknown, param: string, max?: number): unknown[] {
  if (!Array.isArray(value)) throw badRequest(`Field '${param}' must be an array.`, param);
  if (max !== undefined && value.length > max) throw badRequest(`Field '${param}' must have at most ${max} items.`, param);
  return value;
}

export function stringArray(value: unknown, param: string): string[] {
  return array(value, param).map((v, i) => string(v, `${param}[${i}]`));
}

export function oneOf<T extends string>(value: unknown, allowed: readonly T[], param: string): T {
  if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) {
    throw badRequest(`Field '${param}' must be one of: ${allowed.join(", ")}.`, param);
  }
  return value as T;
}

/** Optional string field of an update: undefined = keep, null = clear to "". */
export function clearableString(body: Json, key: string, max: number): string | undefined {
  if (!has(body, key)) return undefined;
  return body[key] === null ? "" : string(body[key], key, { max });
}

const META_KEYS = 16;

function checkMetadataEntry(key: string, value: unknown, param: string): void {
  if (charLength(key) < 1 || charLength(key) > 64) throw badRequest("Metadata keys must be 1-64 characters.", `${param}.${key}`);
  if (typeof value !== "string") throw badRequest("Metadata values must be strings.", `${param}.${key}`);
  if (charLength(value) > 512) throw badRequest("Metadata values must be at most 512 characters.", `${param}.${key}`);
}

function checkMetadataSize(meta: Json, param: string): void {
  if (Object.keys(meta).length > META_KEYS) throw badRequest(`Metadata can have at most ${META_KEYS} keys.`, param);
}

/** A whole metadata object (create, or a replacing update); absent/null → {}. */
export function metadata(value: unknown, param = "metadata"): Record<string, string> {
  if (value === undefined || value === null) return {};
  const meta = object(value, param);
  checkMetadataSize(meta, param);
  for (const [k, v] of Object.entries(meta)) checkMetadataEntry(k, v, param);
  return { ...(meta as Record<string, string>) };
}

/** A metadata patch: string upserts, null (or "" when `emptyDeletes`) deletes; the result must still fit. */
export function patchMetadata(
  current: Record<string, string>,
  patch: unknown,
  opts: { emptyDeletes?: boolean; param?: string } = {},
): Record<string, string> {
  const param = opts.param ?? "metadata";
  if (patch === undefined) return current;
  if (patch === null) return {};
  // No prototype: a `__proto__` key is stored like any other instead of being swallowed.
  const next: Record<string, string> = Object.assign(Object.create(null) as Record<string, string>, current);
  for (const [k, v] of Object.entries(object(patch, param))) {
    if (v === null || (opts.emptyDeletes && v === "")) {
      delete next[k];
      continue;
    }
    checkMetadataEntry(k, v, param);
    next[k] = v as string;
  }
  checkMetadataSize(next, param);
  return next;
}
