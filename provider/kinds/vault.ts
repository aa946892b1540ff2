import { z } from "zod";
import { NotFoundError, type QoderClient } from "../../sdk";
import { deletingDeletion, metadataSchema } from "../schemas";
import type { Inputs, Kind, Outputs } from "./kind";
import { credentialBody, credentialCurrent, credentialFields, credentialOutput, serverUrl, withKeyedToken, type CredentialOutput } from "./credentials";

const schema = z
  .object({
    displayName: z.string().min(1).max(255),
    metadata: metadataSchema,
    // Unset: this vault's credentials are managed elsewhere (VaultCredential, console) and the
    // vault leaves them alone. Set (even to []): the list is the whole truth and converges.
    credentials: z.array(z.object(credentialFields).strict()).optional(),
    deletionPolicy: deletingDeletion,
  })
  .strict();

function validate(inputs: Inputs) {
  const seen = new Set<string>();
  const problems: { path: string; message: string }[] = [];
  (inputs.credentials ?? []).forEach((c: any, i: number) => {
    if (seen.has(c.mcpServerUrl)) problems.push({ path: `credentials[${i}].mcpServerUrl`, message: `duplicate credential for ${c.mcpServerUrl}` });
    seen.add(c.mcpServerUrl);
  });
  return problems;
}

interface LiveVault {
  id: string;
  vault: any;
  credentials: any[];
}

async function readVault(c: QoderClient, id: string): Promise<LiveVault> {
  const vault = await c.vaults.get(id);
  const credentials = await c.vaults.credentials.list(id).toArray();
  return { id, vault, credentials };
}

function knownCredentials(props: Outputs): CredentialOutput[] {
  return Array.isArray(props.credentials) ? props.credentials : [];
}

/** The API lists credentials in its own order (newest first): state keeps them by URL, so a
 * refresh never reads a reordering as drift. */
function byUrl<T extends { mcpServerUrl: string }>(list: T[]): T[] {
  return [...list].sort((a, b) => (a.mcpServerUrl < b.mcpServerUrl ? -1 : a.mcpServerUrl > b.mcpServerUrl ? 1 : 0));
}

/** Credentials compare as a set keyed by server URL; tokens through their salted digest. */
function sameCredentials(desired: any[] | undefined, _actual: unknown, olds: Outputs): boolean {
  const known = knownCredentials(olds);
  const want = desired ?? [];
  return want.length === known.length && want.every((d) => credentialCurrent(d, known.find((k) => k.mcpServerUrl === d.mcpServerUrl)));
}

export const vaultKind: Kind<LiveVault> = {
  name: "vault",
  title: "Vault",
  idOutput: "vaultId",
  schema: schema as unknown as z.ZodType<Inputs>,
  // The API has no vault update: a new name or metadata means a new vault.
  fields: { displayName: { replace: true }, metadata: { replace: true }, credentials: { serverDefault: true, same: sameCredentials } },
  deletion: { default: "delete", canArchive: true },
  validate,
  lockKey: (id) => `vault:${id}`,
  keyBody: (body) => ({ ...body, credentials: (body.credentials ?? []).map(withKeyedToken) }),

  create: async (c, i, opts) => {
    const vault: any = await c.vaults.create({
      display_name: i.displayName,
      metadata: i.metadata,
      credentials: (i.credentials ?? []).map(credentialBody),
    }, opts);
    return { id: vault.id, vault, credentials: vault.credentials ?? [] };
  },
  get: (c, id) => readVault(c, id),
  // Adding, removing or rotating a credential converges through the credential endpoints.
  // There is no in-place token update: rotation deletes the old credential, then creates anew.
  update: async (c, id, olds, news) => {
    const known = knownCredentials(olds);
    const vault = { id, display_name: olds.displayName, metadata: olds.metadata, status: olds.status, created_at: olds.createdAt, updated_at: olds.updatedAt };
    if (news.credentials === undefined) {
      // Credentials not managed by this vault: nothing to converge.
      return { id, vault, credentials: known.map((k) => ({ id: k.credentialId, mcp_server_url: k.mcpServerUrl, protocol: k.protocol, status: k.status })) };
    }
    const kept: any[] = [];
    for (const k of known) {
      const want = news.credentials.find((d: any) => d.mcpServerUrl === k.mcpServerUrl);
      if (want && credentialCurrent(want, k)) {
        kept.push({ id: k.credentialId, mcp_server_url: k.mcpServerUrl, protocol: k.protocol, status: k.status });
        continue;
      }
      try {
        await c.vaults.credentials.delete(id, k.credentialId);
      } catch (e) {
        if (!(e instanceof NotFoundError)) throw e;
      }
    }
    const created: any[] = [];
    for (const d of news.credentials) {
      if (kept.some((k) => k.mcp_server_url === d.mcpServerUrl)) continue;
      created.push(await c.vaults.credentials.create(id, credentialBody(d)));
    }
    return { id, vault, credentials: [...kept, ...created] };
  },
  archive: (c, id) => c.vaults.archive(id),
  destroy: (c, id) => c.vaults.delete(id),

  toInputs: (live, prev) => ({
    displayName: live.vault.display_name,
    metadata: live.vault.metadata ?? {},
    // Tokens are write-only: the API never returns them, so refreshed inputs carry none. The
    // auth{} shape has no protocol: the one last sent for that credential stands.
    credentials: byUrl(
      live.credentials.map((c) => ({
        mcpServerUrl: serverUrl(c),
        protocol: c.protocol ?? knownCredentials(prev).find((k) => k.credentialId === c.id)?.protocol ?? "streamable_http",
      })),
    ),
    deletionPolicy: prev.deletionPolicy ?? "delete",
  }),
  outputs: (inputs, live, prev) => {
    const known = knownCredentials(prev);
    const credentials = byUrl(
      live.credentials.map((c) => {
        const url = serverUrl(c);
        const token = (inputs.credentials ?? []).find((d: any) => d.mcpServerUrl === url)?.token;
        return credentialOutput(c, token, known.find((k) => k.credentialId === c.id));
      }),
    );
    return {
      displayName: inputs.displayName,
      metadata: inputs.metadata,
      deletionPolicy: inputs.deletionPolicy,
      credentials,
      ...vaultKind.computed(live),
      credentialIds: credentials.map((c) => c.credentialId),
    };
  },
  computed: (live) => ({
    vaultId: live.id,
    status: live.vault.status ?? "active",
    archived: live.vault.status === "archived" || !!live.vault.archived_at,
    createdAt: live.vault.created_at,
    updatedAt: live.vault.updated_at,
  }),
  isArchived: (live) => live.vault.status === "archived" || !!live.vault.archived_at,
};
