// The one case mapper. The API and Fleet files speak snake_case, resource args camelCase; a key
// maps by rule (mcp_server_url <-> mcpServerUrl), and values under user-owned keys (metadata,
// JSON schemas) are copied untouched. Kinds map request and response bodies with it, Fleet maps
// its files and shows schema paths as written in them.

/** Values under these keys belong to the user or to JSON Schema: never renamed. */
const OPAQUE = new Set(["metadata", "input_schema", "inputSchema", "properties"]);

export const toApiKey = (k: string): string => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
export const fromApiKey = (k: string): string => k.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());

function rename(v: unknown, key: (k: string) => string): unknown {
  if (Array.isArray(v)) return v.map((e) => rename(e, key));
  if (v && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, val] of Object.entries(v)) out[key(k)] = OPAQUE.has(k) ? val : rename(val, key);
    return out;
  }
  return v;
}

/** camelCase args → the API's snake_case body. Typed by the caller, which knows the API shape. */
export const toApi = <T = unknown>(v: unknown): T => rename(v, toApiKey) as T;
/** An API (or Fleet file) value → camelCase args. */
export const fromApi = <T = unknown>(v: unknown): T => rename(v, fromApiKey) as T;
