import type { z } from "zod";
import { ResponseValidationError } from "./errors";

interface Described {
  method: string;
  path: string;
}

/** Parses a 2xx JSON body against its schema; any breach names the offending field path. */
export function parseResponse<T>(res: { text: string; requestId?: string }, schema: z.ZodType<T>, req: Described): T {
  const where = `${req.method} ${req.path}`;
  const suffix = res.requestId ? ` (request ${res.requestId})` : "";
  let body: unknown;
  try {
    body = JSON.parse(res.text);
  } catch {
    const what = res.text.trim() === "" ? "an empty body" : "a non-JSON body";
    throw new ResponseValidationError(`invalid response from ${where}: expected JSON, got ${what}${suffix}`, "(body)", res.requestId);
  }
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = formatPath(issue.path);
  throw new ResponseValidationError(`invalid response from ${where}: ${path}: ${issue.message}${suffix}`, path, res.requestId);
}

/** `["data", 0, "id"]` → `data[0].id`; the root is `(root)`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const seg of path) out += typeof seg === "number" ? `[${seg}]` : `${out ? "." : ""}${String(seg)}`;
  return out || "(root)";
}
