// The API speaks snake_case; Pulumi programs speak camelCase. Only the documented keys are
// renamed, and user-owned maps (metadata, JSON schemas) are copied untouched.

const PAIRS: Array<[string, string]> = [
  ["enabledTools", "enabled_tools"],
  ["disallowedTools", "disallowed_tools"],
  ["defaultConfig", "default_config"],
  ["permissionPolicy", "permission_policy"],
  ["mcpServerName", "mcp_server_name"],
  ["mcpServers", "mcp_servers"],
  ["inputSchema", "input_schema"],
  ["contextWindow", "context_window"],
  ["mcpServerUrl", "mcp_server_url"],
  ["skillId", "skill_id"],
  ["allowedHosts", "allowed_hosts"],
  ["allowPackageManagers", "allow_package_managers"],
  ["setupScript", "setup_script"],
  ["displayName", "display_name"],
];
const TO_API = new Map(PAIRS);
const FROM_API = new Map(PAIRS.map(([a, b]) => [b, a]));
/** Values under these keys belong to the user or to JSON Schema: never renamed. */
const OPAQUE = new Set(["metadata", "input_schema", "inputSchema", "properties"]);

function rename(v: unknown, table: Map<string, string>): unknown {
  if (Array.isArray(v)) return v.map((e) => rename(e, table));
  if (v && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, val] of Object.entries(v as Record<string, unknown>)) {
      const key = table.get(k) ?? k;
      out[key] = OPAQUE.has(k) ? val : rename(val, table);
    }
    return out;
  }
  return v;
}

export const toApi = (v: unknown): unknown => rename(v, TO_API);
export const fromApi = (v: unknown): unknown => rename(v, FROM_API);
