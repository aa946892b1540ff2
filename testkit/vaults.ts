// Vault helpers for e2e tests: the credential routes as the emulator's stats name them, fresh
// secret-looking tokens, and the live credentials of a vault keyed by MCP server URL.
import { randomBytes } from "node:crypto";
import type { QoderClient } from "../sdk";
import { credentialServerUrl } from "../sdk/schemas/vault";

export const CREDENTIAL_POST = "POST /vaults/{id}/credentials";
export const CREDENTIAL_DELETE = "DELETE /vaults/{id}/credentials/{credential_id}";

export const GH = "https://mcp.github.example/mcp";
export const JIRA = "https://jira.example/mcp";
export const SLACK = "https://slack.example/mcp";

/** A token that is easy to grep for: tok-SECRET-<label>-<random>. */
export function secretToken(label: string): string {
  return `tok-SECRET-${label}-${randomBytes(8).toString("hex")}`;
}

/** Active credentials of a vault: URL → {id, protocol}. */
export async function liveCredentials(api: QoderClient, vaultId: string): Promise<Record<string, { id: string; protocol?: string }>> {
  const all = await api.vaults.credentials.list(vaultId).toArray();
  return Object.fromEntries(all.map((c) => [credentialServerUrl(c)!, { id: c.id, protocol: c.protocol }]));
}
