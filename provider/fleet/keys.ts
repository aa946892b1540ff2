// Fleet files use the API's snake_case keys (as in the Qoder docs); resource args are camelCase.
// Keys are converted generically, except inside user-owned maps (metadata, JSON schemas).
import type { z } from "zod";
import { propertyPath } from "../engine";
import type { Problems } from "./files";

const OPAQUE = new Set(["metadata", "input_schema", "inputSchema"]);

const camel = (k: string) => k.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
const snake = (k: string) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

export function camelKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(camelKeys);
  if (v && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, val] of Object.entries(v)) out[camel(k)] = OPAQUE.has(k) ? val : camelKeys(val);
    return out;
  }
  return v;
}

/** A schema path shown as written in the file: mcp_servers[0].url. */
export function filePath(prefix: string, p: PropertyKey[]): string {
  const shown = propertyPath(p.map((s) => (typeof s === "string" ? snake(s) : s)));
  return [prefix, shown].filter(Boolean).join(".").replace(/\.\[/g, "[");
}

/** Parses with a resource kind's own schema, reporting each issue against the file. */
export function parseWith<T>(schema: z.ZodType<T>, value: unknown, file: string, prefix: string, problems: Problems): T | undefined {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  for (const issue of r.error.issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) problems.add(file, filePath(prefix, [...issue.path, key]), "unknown key");
    } else {
      problems.add(file, filePath(prefix, issue.path) || prefix || "(file)", issue.message);
    }
  }
  return undefined;
}
