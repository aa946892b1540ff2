// What vaults and standalone vault credentials share: the credential input shape, reading the
// two documented response shapes (through the sdk), and outputs that carry a token digest but
// never the token.
import { z } from "zod";
import { credentialServerUrl, isArchived, type VaultCredential, type VaultCredentialCreate } from "../../sdk";
import { httpsUrl } from "../schemas";
import { digestToken, primeDigests, tokenMatches, type TokenDigest } from "../secret-digest";

export const credentialFields = {
  mcpServerUrl: httpsUrl,
  protocol: z.enum(["sse", "streamable_http"]).default("streamable_http"),
  token: z.string().min(1, "token must not be empty"),
};
const credentialInput = z.object(credentialFields).strict();
export type CredentialInput = z.output<typeof credentialInput>;
export type Protocol = CredentialInput["protocol"];

/** The first of `candidates` that is a protocol this provider knows (the auth{} shape has none). */
export function protocolOf(...candidates: Array<string | null | undefined>): Protocol {
  return candidates.find((p): p is Protocol => p === "sse" || p === "streamable_http") ?? "streamable_http";
}

export interface CredentialOutput extends TokenDigest {
  credentialId: string;
  mcpServerUrl: string;
  protocol: Protocol;
  status?: string;
}

/** The server URL from either response shape ("" only for a credential the API answers without one). */
export function serverUrl(c: VaultCredential): string {
  return credentialServerUrl(c) ?? "";
}

export function credentialBody(c: CredentialInput): VaultCredentialCreate {
  return { mcp_server_url: c.mcpServerUrl, protocol: c.protocol, type: "static_bearer", access_token: c.token };
}

/** Output for one live credential: keep the known digest, or digest the token just sent. */
export function credentialOutput(live: VaultCredential, token: string | undefined, prev: Partial<CredentialOutput> | undefined): CredentialOutput {
  const known = prev && prev.credentialId === live.id && prev.tokenSalt && prev.tokenDigest ? { tokenSalt: prev.tokenSalt, tokenDigest: prev.tokenDigest } : undefined;
  return {
    credentialId: live.id,
    mcpServerUrl: serverUrl(live),
    protocol: protocolOf(live.protocol, prev?.protocol),
    status: live.status ?? (isArchived(live) ? "archived" : "active"),
    ...(known ?? (token ? digestToken(token) : { tokenSalt: "", tokenDigest: "" })),
  };
}

// Fixed so that a create retried after a crash derives the same key; scrypt keeps it slow.
const KEY_SALT = "pulumi-qoder/create-key";

/** A credential with its token replaced by a deterministic scrypt digest (for create keys). */
export function withKeyedToken<T extends { token?: unknown }>(c: T): T {
  return typeof c.token === "string" ? { ...c, token: digestToken(c.token, KEY_SALT).tokenDigest } : c;
}

/** Does the last-known credential still match the desired one (URL, protocol, token)? */
export function credentialCurrent(desired: { mcpServerUrl: string; protocol: string; token?: unknown }, known: Partial<CredentialOutput> | undefined): boolean {
  return !!known && known.mcpServerUrl === desired.mcpServerUrl && known.protocol === desired.protocol && tokenMatches(desired.token, known);
}

/** The credential-shaped objects of one side: the props themselves (a standalone credential) and a vault's list. */
function credentialsIn(props: { credentials?: unknown }): Array<Record<string, unknown>> {
  const list: unknown[] = [props, ...(Array.isArray(props.credentials) ? props.credentials : [])];
  return list.filter((c): c is Record<string, unknown> => typeof c === "object" && c !== null && typeof (c as { mcpServerUrl?: unknown }).mcpServerUrl === "string");
}

/**
 * Digests `credentialCurrent` will compute comparing `news` with `olds`, computed off the event
 * loop first: each token given beside the digest known for the same server URL.
 */
export async function primeCredentialDigests(olds: object, news: object): Promise<void> {
  const known = credentialsIn(olds).filter((k) => typeof k.tokenSalt === "string" && k.tokenSalt !== "");
  const pairs = credentialsIn(news).flatMap((d) => {
    const k = known.find((c) => c.mcpServerUrl === d.mcpServerUrl);
    return typeof d.token === "string" && k ? [{ token: d.token, salt: k.tokenSalt as string }] : [];
  });
  await primeDigests(pairs);
}
