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

/**
 * The value itself, typed as the schema's input, once the schema accepts it: Fleet passes what
 * the file says to the resource (check applies the defaults), not the parsed form.
 */
export function validArgs<S extends z.ZodType>(schema: S, value: Record<string, unknown>, file: string, prefix: string, problems: Problems): z.input<S> | undefined {
  return parseWith(schema, value, file, prefix, problems) === undefined ? undefined : (value as z.input<S>);
}
