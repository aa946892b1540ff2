import { z } from "zod";
import { OptString, ResponseMetadata, archivable, identity, timestamps } from "./common";

/**
 * Two documented shapes: flat `{mcp_server_url, protocol, type, status}` (create/list/archive pages)
 * and `{type:"vault_credential", auth:{type, mcp_server_url}}` (newest get page, SDK). Both parse.
 */
export const VaultCredentialSchema = z.looseObject({
  ...identity,
  vault_id: z.string().optional(),
  mcp_server_url: z.string().optional(),
  protocol: z.string().optional(),
  auth: z
    .looseObject({
      type: z.string(),
      mcp_server_url: z.string().optional(),
      secret_name: z.string().optional(),
    })
    .nullable()
    .optional(),
  display_name: OptString,
  metadata: ResponseMetadata,
  ...archivable,
  ...timestamps,
});
export type VaultCredential = z.infer<typeof VaultCredentialSchema>;

export const VaultSchema = z.looseObject({
  ...identity,
  display_name: z.string(),
  metadata: ResponseMetadata,
  /** Present in the create response only. */
  credentials: z.array(VaultCredentialSchema).optional(),
  ...archivable,
  ...timestamps,
});
export type Vault = z.infer<typeof VaultSchema>;

/** The flat request shape every Qoder doc page uses; the token is write-only. */
export interface VaultCredentialCreate {
  mcp_server_url: string;
  /** Newest docs expose only `streamable_http`; any string is passed through for the server to judge. */
  protocol: "sse" | "streamable_http" | (string & {});
  type: "static_bearer";
  access_token: string;
  metadata?: Record<string, string>;
  [extra: string]: unknown;
}

export interface VaultCreate {
  display_name: string;
  credentials?: VaultCredentialCreate[];
  metadata?: Record<string, string>;
}

/** The MCP server URL from either credential shape. */
export function credentialServerUrl(c: Pick<VaultCredential, "mcp_server_url" | "auth">): string | undefined {
  return c.mcp_server_url ?? c.auth?.mcp_server_url ?? undefined;
}

/** The auth type (`static_bearer`, ...) from either shape; flat `type` is the auth type there. */
export function credentialAuthType(c: Pick<VaultCredential, "type" | "auth">): string | undefined {
  return c.auth?.type ?? (c.type === "vault_credential" ? undefined : c.type);
}
