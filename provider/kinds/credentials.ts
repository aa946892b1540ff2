// What vaults and standalone vault credentials share: the credential input shape, reading the
// two documented response shapes, and outputs that carry a token digest but never the token.
import { z } from "zod";
import { httpsUrl } from "../schemas";
import { digestToken, tokenMatches, type TokenDigest } from "../secret-digest";

export const credentialFields = {
  mcpServerUrl: httpsUrl,
  protocol: z.enum(["sse", "streamable_http"]).default("streamable_http"),
  token: z.string().min(1, "token must not be empty"),
};

export interface CredentialOutput extends TokenDigest {
  credentialId: string;
  mcpServerUrl: string;
  protocol: string;
  status?: string;
}

/** Flat shape (docs) or auth{} shape (newest page and SDK). */
export function serverUrl(c: any): string {
  return c.mcp_server_url ?? c.auth?.mcp_server_url;
}

export function credentialBody(c: { mcpServerUrl: string; protocol: string; token: string }) {
  return { mcp_server_url: c.mcpServerUrl, protocol: c.protocol, type: "static_bearer", access_token: c.token } as const;
}

/** Output for one live credential: keep the known digest, or digest the token just sent. */
export function credentialOutput(live: any, token: string | undefined, prev: Partial<CredentialOutput> | undefined): CredentialOutput {
  const known = prev && prev.credentialId === live.id && prev.tokenDigest ? prev : undefined;
  const digest = known ? { tokenSalt: known.tokenSalt!, tokenDigest: known.tokenDigest! } : token ? digestToken(token) : { tokenSalt: "", tokenDigest: "" };
  return {
    credentialId: live.id,
    mcpServerUrl: serverUrl(live),
    protocol: live.protocol ?? prev?.protocol ?? "streamable_http",
    status: live.status ?? (live.archived_at ? "archived" : "active"),
    ...digest,
  };
}

// Fixed so that a create retried after a crash derives the same key; scrypt keeps it slow.
const KEY_SALT = "pulumi-qoder/create-key";

/** A credential with its token replaced by a deterministic scrypt digest (for create keys). */
export function withKeyedToken<T extends { token?: unknown }>(c: T): T {
  return typeof c.token === "string" ? { ...c, token: digestToken(c.token, KEY_SALT).tokenDigest } : c;
}

/** Does the last-known credential still match the desired one (URL, protocol, token)? */
export function credentialCurrent(desired: any, known: Partial<CredentialOutput> | undefined): boolean {
  return !!known && known.mcpServerUrl === desired.mcpServerUrl && known.protocol === desired.protocol && tokenMatches(desired.token, known);
}
