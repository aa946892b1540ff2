// Credential objects in the two documented response shapes (qoder-api.md §5.4).

export function flatCredential(id: string, vaultId: string, url: string, protocol = "streamable_http") {
  return { id, vault_id: vaultId, mcp_server_url: url, protocol, type: "static_bearer", status: "active", created_at: "2026-05-18T15:34:16.876Z", updated_at: "2026-05-18T15:34:16.876Z" };
}

/** The newest get-credential page: no protocol, no status, the URL under auth{}. */
export function authCredential(id: string, vaultId: string, url: string, _protocol?: string) {
  return {
    id,
    type: "vault_credential",
    vault_id: vaultId,
    auth: { type: "static_bearer", mcp_server_url: url },
    display_name: null,
    metadata: {},
    archived_at: null,
    created_at: "2026-05-18T15:34:35.387Z",
    updated_at: "2026-05-18T15:34:35.387Z",
  };
}
