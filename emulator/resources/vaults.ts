import { badRequest, conflict } from "../errors";
import { newId, nowIso } from "../ids";
import { paginate } from "../pagination";
import { created, noContent, on, ok, type Ctx, type Route } from "../router";
import { hashSecret } from "../secrets";
import type { Credential, State, Vault } from "../types";
import * as v from "../validate";
import { archive, assertActive, find } from "./lifecycle";

const findVault = (state: State, id: string): Vault => find(state.vaults, id, "Vault");

function findCredential(state: State, vaultId: string, id: string): Credential {
  findVault(state, vaultId);
  return find(state.credentials, id, "Credential", (c) => c.vault_id === vaultId);
}

const credentialsOf = (state: State, vaultId: string) => Object.values(state.credentials).filter((c) => c.vault_id === vaultId);

/**
 * Accepts the flat documented shape `{mcp_server_url, protocol, type, access_token}` and the
 * newer `{auth: {type, mcp_server_url, token} | {type: "environment_variable", secret_name, secret_value}}`.
 * Returns the public credential (both shapes' fields) plus the secret to hash.
 */
function parseCredential(body: v.Json, vaultId: string, param: (field: string) => string): { cred: Credential; secret: string } {
  const auth = body.auth === undefined ? undefined : v.object(body.auth, param("auth"));
  const src = auth ?? body;
  // `type` is required in both shapes (every doc generation), never defaulted.
  const typeParam = param(auth ? "auth.type" : "type");
  const type = v.oneOf(v.required(src, "type", typeParam), ["static_bearer", "environment_variable"], typeParam);
  const now = nowIso();
  const base = {
    id: newId("vcred"),
    vault_id: vaultId,
    status: "active" as const,
    display_name: body.display_name == null ? null : v.string(body.display_name, param("display_name"), { max: 255 }),
    metadata: v.metadata(body.metadata, param("metadata")),
    archived_at: null,
    created_at: now,
    updated_at: now,
  };
  const secretOf = (key: string, field: string) => {
    const secret = src[key];
    if (typeof secret !== "string" || !secret) throw badRequest(`Field '${field}' is required for ${type} type.`, param(auth ? `auth.${key}` : key));
    return secret;
  };
  if (type === "environment_variable") {
    const name = v.string(v.required(src, "secret_name", param("auth.secret_name")), param("auth.secret_name"));
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw badRequest("secret_name must match [A-Za-z_][A-Za-z0-9_]*.", param("auth.secret_name"));
    const cred: Credential = { ...base, type, secret_name: name, auth: { type, secret_name: name } };
    return { cred, secret: secretOf("secret_value", "secret_value") };
  }
  const urlParam = param(auth ? "auth.mcp_server_url" : "mcp_server_url");
  const url = v.string(v.required(src, "mcp_server_url", urlParam), urlParam, { min: 1 });
  if (!/^https?:\/\/[^\s/]+/i.test(url)) throw badRequest("mcp_server_url must be an http(s) URL.", urlParam);
  // The flat shape requires `protocol`; the auth{} shape has none, so the one transport the newest guide exposes stands.
  const protocol = v.oneOf(auth ? (body.protocol ?? src.protocol ?? "streamable_http") : v.required(body, "protocol", param("protocol")), ["sse", "streamable_http"], param("protocol"));
  const cred: Credential = { ...base, type, mcp_server_url: url, protocol, auth: { type, mcp_server_url: url } };
  return { cred, secret: secretOf(auth ? "token" : "access_token", "access_token") };
}

/** One active credential per MCP server URL (or secret name) in a vault, as in Anthropic's API. */
function assertUnique(state: State, cred: Credential, pending: Credential[] = []): void {
  const key = (c: Credential) => c.mcp_server_url ?? `env:${c.secret_name}`;
  const clash = [...credentialsOf(state, cred.vault_id), ...pending].find((c) => c.status === "active" && key(c) === key(cred));
  if (clash) throw conflict(`An active credential for '${key(cred)}' already exists in vault '${cred.vault_id}' (${clash.id}).`);
}

function createVault(ctx: Ctx) {
  const body = ctx.json();
  const now = nowIso();
  const vault: Vault = {
    type: "vault",
    id: newId("vault"),
    display_name: v.string(v.required(body, "display_name"), "display_name", { min: 1, max: 255 }),
    status: "active",
    metadata: v.metadata(body.metadata),
    archived_at: null,
    created_at: now,
    updated_at: now,
  };
  const parsed = (body.credentials == null ? [] : v.array(body.credentials, "credentials")).map((c, i) =>
    parseCredential(v.object(c, `credentials[${i}]`), vault.id, (f) => `credentials[${i}].${f}`),
  );
  parsed.forEach((p, i) => assertUnique(ctx.state, p.cred, parsed.slice(0, i).map((q) => q.cred)));
  ctx.state.vaults[vault.id] = vault;
  for (const { cred, secret } of parsed) {
    ctx.state.credentials[cred.id] = cred;
    ctx.state.credentialSecrets[cred.id] = hashSecret(secret);
  }
  return created({ ...vault, credentials: parsed.map((p) => p.cred) });
}

function updateVault(ctx: Ctx) {
  const vault = findVault(ctx.state, ctx.params.id);
  assertActive(vault, "Vault");
  const body = ctx.json();
  const next: Vault = { ...vault };
  if (v.has(body, "display_name")) next.display_name = v.string(body.display_name, "display_name", { min: 1, max: 255 });
  next.metadata = v.patchMetadata(vault.metadata, body.metadata);
  next.updated_at = nowIso();
  ctx.state.vaults[vault.id] = next;
  return ok(next);
}

function createCredential(ctx: Ctx) {
  const vault = findVault(ctx.state, ctx.params.id);
  assertActive(vault, "Vault");
  const { cred, secret } = parseCredential(ctx.json(), vault.id, (f) => f);
  assertUnique(ctx.state, cred);
  ctx.state.credentials[cred.id] = cred;
  ctx.state.credentialSecrets[cred.id] = hashSecret(secret);
  return created(cred);
}

function deleteVault(ctx: Ctx) {
  const vault = findVault(ctx.state, ctx.params.id);
  for (const c of credentialsOf(ctx.state, vault.id)) {
    delete ctx.state.credentials[c.id];
    delete ctx.state.credentialSecrets[c.id];
  }
  delete ctx.state.vaults[vault.id];
  return noContent();
}

/** `name` filters by a case-insensitive substring (display name for vaults, MCP URL for credentials). */
const nameFilter = (ctx: Ctx, text: (x: Vault | Credential) => string | undefined) => {
  const needle = ctx.query.get("name")?.toLowerCase();
  return (x: Vault | Credential) => !needle || (text(x) ?? "").toLowerCase().includes(needle);
};

function listVaults(ctx: Ctx) {
  const status = ctx.query.get("status"); // older docs filter by status instead of include_archived
  if (status !== null) v.oneOf(status, ["active", "archived"], "status");
  const vaults = Object.values(ctx.state.vaults)
    .filter(nameFilter(ctx, (x) => (x as Vault).display_name))
    .filter((x) => status === null || x.status === status);
  return ok(paginate(vaults, ctx.query, { archived: (x) => status === null && x.status === "archived", createdAt: (x) => x.created_at }));
}

export const vaultRoutes: Route[] = [
  ...on(["POST"], "/vaults", createVault),
  ...on(["GET"], "/vaults", listVaults),
  ...on(["GET"], "/vaults/{id}", (ctx) => ok(findVault(ctx.state, ctx.params.id))),
  ...on(["PUT", "POST"], "/vaults/{id}", updateVault),
  ...on(["DELETE"], "/vaults/{id}", deleteVault),
  ...on(["POST"], "/vaults/{id}/archive", (ctx) => ok(archive(findVault(ctx.state, ctx.params.id), "Vault"))),
  ...on(["POST"], "/vaults/{id}/credentials", createCredential),
  ...on(["GET"], "/vaults/{id}/credentials", (ctx) => {
    const creds = credentialsOf(ctx.state, findVault(ctx.state, ctx.params.id).id).filter(nameFilter(ctx, (x) => (x as Credential).mcp_server_url));
    return ok(paginate(creds, ctx.query, { archived: (c) => c.status === "archived", createdAt: (c) => c.created_at }));
  }),
  ...on(["GET"], "/vaults/{id}/credentials/{credential_id}", (ctx) => ok(findCredential(ctx.state, ctx.params.id, ctx.params.credential_id))),
  ...on(["DELETE"], "/vaults/{id}/credentials/{credential_id}", (ctx) => {
    const { id } = findCredential(ctx.state, ctx.params.id, ctx.params.credential_id);
    delete ctx.state.credentials[id];
    delete ctx.state.credentialSecrets[id];
    return ok({ id, type: "vault_credential_deleted" });
  }),
  ...on(["POST"], "/vaults/{id}/credentials/{credential_id}/archive", (ctx) =>
    ok(archive(findCredential(ctx.state, ctx.params.id, ctx.params.credential_id), "Credential")),
  ),
];
