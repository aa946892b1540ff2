// Fleet files use the API's snake_case keys (as in the Qoder docs); resource args are camelCase.
// Both directions go through the provider's one case mapper (casing.ts).
import type { z } from "zod";
import { fromApi, toApiKey } from "../casing";
import { propertyPath } from "../property-path";
import type { Problems } from "./files";

/** A file's mapping as resource args. */
export function camelKeys(v: unknown): Record<string, unknown> {
  return fromApi<Record<string, unknown>>(v);
}

/** A schema path shown as written in the file: mcp_servers[0].url. */
export function filePath(prefix: string, p: PropertyKey[]): string {
  const shown = propertyPath(p.map((s) => (typeof s === "string" ? toApiKey(s) : s)));
  return [prefix, shown].filter(Boolean).join(".").replace(/\.\[/g, "[");
}

/** Edit distance up to `max` (a typo), else max + 1. */
function distance(a: string, b: string, max = 2): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}

/**
 * Parses with a resource kind's own schema, reporting each issue against the file. A misspelt
 * key (`modle:`) is reported once, as the unknown key with the name it resembles; the missing
 * required key it leaves (`model`) is its consequence and is not reported again.
 */
export function parseWith<T>(schema: z.ZodType<T>, value: unknown, file: string, prefix: string, problems: Problems): T | undefined {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const unknown = r.error.issues.flatMap((i) => (i.code === "unrecognized_keys" ? i.keys.map((key) => ({ parent: propertyPath(i.path), key })) : []));
  /** The unknown key a missing one was probably meant to be. */
  const misspelt = (p: PropertyKey[]): string | undefined => {
    const key = p[p.length - 1];
    if (typeof key !== "string" || valueAt(value, p) !== undefined) return undefined;
    return unknown.find((u) => u.parent === propertyPath(p.slice(0, -1)) && distance(u.key, key) <= 2 && distance(u.key, key) < u.key.length)?.key;
  };
  const meant = new Map<string, string>();
  for (const issue of r.error.issues) {
    if (issue.code === "unrecognized_keys") continue;
    const typo = misspelt(issue.path);
    if (typo !== undefined) meant.set(`${propertyPath(issue.path.slice(0, -1))}/${typo}`, toApiKey(String(issue.path[issue.path.length - 1])));
  }
  for (const issue of r.error.issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        const hint = meant.get(`${propertyPath(issue.path)}/${key}`);
        problems.add(file, filePath(prefix, [...issue.path, key]), hint ? `unknown key (did you mean ${hint}?)` : "unknown key");
      }
    } else if (misspelt(issue.path) === undefined) {
      problems.add(file, filePath(prefix, issue.path) || prefix || "(file)", issue.message);
    }
  }
  return undefined;
}

function valueAt(v: unknown, p: PropertyKey[]): unknown {
  return p.reduce<unknown>((cur, k) => (cur && typeof cur === "object" ? (cur as Record<PropertyKey, unknown>)[k] : undefined), v);
}

/**
 * The value itself, typed as the schema's input, once the schema accepts it: Fleet passes what
 * the file says to the resource (check applies the defaults), not the parsed form.
 */
export function validArgs<S extends z.ZodType>(schema: S, value: Record<string, unknown>, file: string, prefix: string, problems: Problems): z.input<S> | undefined {
  return parseWith(schema, value, file, prefix, problems) === undefined ? undefined : (value as z.input<S>);
}
