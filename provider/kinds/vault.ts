import { z } from "zod";
import { isArchived, NotFoundError, type QoderClient, type Vault, type VaultCredential } from "../../sdk";
import { isRecord } from "../json";
import { deletingDeletion, idOf, metadataSchema, sourceFile } from "../schemas";
import type { CheckProblem, FieldRules, Kind } from "./kind";
import { credentialBody, credentialCurrent, primeCredentialDigests, credentialFields, credentialOutput, protocolOf, serverUrl, withKeyedToken, type CredentialInput, type CredentialOutput } from "./credentials";

export const vaultSchema = z
  .object({
    displayName: z.string().min(1).max(255),
    metadata: metadataSchema,
    // Unset: this vault's credentials are managed elsewhere (VaultCredential, console) and the
    // vault leaves them alone. Set (even to []): the list is the whole truth and converges.
    credentials: z.array(z.object(credentialFields).strict()).optional(),
    deletionPolicy: deletingDeletion,
    adoptId: idOf("vault").optional(),
    sourceFile,
    // Computed in check (see VaultInputs); accepted so that check's own output checks again.
    credentialRevisions: z.record(z.string(), z.number().int().positive()).optional(),
  })
  .strict();

/**
 * `credentialRevisions` (computed in check): per MCP server URL, a number bumped whenever the
 * token changes. Not secret and not derived from the token, so a plan can say which credential
 * was added, removed or rotated (tools/credential-changes.ts) while the list stays one secret.
 */
export type VaultInputs = z.output<typeof vaultSchema>;
/** As read back: credentials without their write-only tokens. */
type ReadInputs = Omit<VaultInputs, "credentials"> & { credentials?: Array<Omit<CredentialInput, "token"> & { token?: string }> };

export type VaultState = Omit<VaultInputs, "credentials"> & {
  /** Sorted by URL; a salted digest per token, never the token. */
  credentials: CredentialOutput[];
  credentialIds: string[];
  vaultId: string;
  status: string;
  archived: boolean;
  createdAt: string;
  updatedAt: string;
};

/** A vault and its credentials, as two reads (or the create response) give them. */
export interface LiveVault {
  vault: Vault;
  credentials: VaultCredential[];
}

function validate(inputs: VaultInputs): CheckProblem[] {
  const seen = new Set<string>();
  const problems: CheckProblem[] = [];
  (inputs.credentials ?? []).forEach((c, i) => {
    if (seen.has(c.mcpServerUrl)) problems.push({ path: `credentials[${i}].mcpServerUrl`, message: `duplicate credential for ${c.mcpServerUrl}` });
    seen.add(c.mcpServerUrl);
  });
  return problems;
}

async function readVault(c: QoderClient, id: string): Promise<LiveVault> {
  const vault = await c.vaults.get(id);
  const credentials = await c.vaults.credentials.list(id).toArray();
  return { vault, credentials };
}

/** The credentials state knows, whichever side of the lifecycle `props` comes from. */
function knownCredentials(props: Partial<VaultInputs | VaultState> | undefined): CredentialOutput[] {
  const list: unknown[] = Array.isArray(props?.credentials) ? props.credentials : [];
  return list.filter((c): c is CredentialOutput => typeof c === "object" && c !== null && "credentialId" in c);
}

/** Credentials with a token: only the program's inputs have them (adoption passes those as `prev`). */
function givenCredentials(props: Partial<VaultInputs | VaultState> | undefined): Array<{ mcpServerUrl: string; token: string }> {
  const list: unknown[] = Array.isArray(props?.credentials) ? props.credentials : [];
  return list.filter((c): c is { mcpServerUrl: string; token: string } => typeof c === "object" && c !== null && typeof (c as { token?: unknown }).token === "string");
}

/** The API lists credentials in its own order (newest first): state keeps them by URL, so a
 * refresh never reads a reordering as drift. */
function byUrl<T extends { mcpServerUrl: string }>(list: T[]): T[] {
  return [...list].sort((a, b) => (a.mcpServerUrl < b.mcpServerUrl ? -1 : a.mcpServerUrl > b.mcpServerUrl ? 1 : 0));
}

/** Credentials compare as a set keyed by server URL; tokens through their salted digest. */
function sameCredentials(desired: VaultInputs["credentials"], _actual: unknown, olds: VaultState): boolean {
  const known = knownCredentials(olds);
  const want = desired ?? [];
  return want.length === known.length && want.every((d) => credentialCurrent(d, known.find((k) => k.mcpServerUrl === d.mcpServerUrl)));
}

// The API has no vault update: a new name or metadata means a new vault.
const fields = {
  displayName: { replace: true },
  metadata: { replace: true },
  credentials: { serverDefault: true, same: sameCredentials },
  credentialRevisions: { ignore: true }, // follows credentials; for reviews only
} satisfies FieldRules<VaultInputs, VaultState>;

/** The revision of each credential: carried over, bumped when its token changed (see VaultInputs). */
function credentialRevisions(inputs: VaultInputs, olds: Record<string, unknown>): VaultInputs {
  if (!inputs.credentials) return inputs;
  const before = Array.isArray(olds.credentials) ? olds.credentials.filter(isRecord) : [];
  const revs = isRecord(olds.credentialRevisions) ? olds.credentialRevisions : {};
  const revisions = Object.fromEntries(
    inputs.credentials.map((c) => {
      const rev = typeof revs[c.mcpServerUrl] === "number" ? (revs[c.mcpServerUrl] as number) : 1;
      const old = before.find((o) => o.mcpServerUrl === c.mcpServerUrl);
      return [c.mcpServerUrl, old && typeof old.token === "string" && old.token !== c.token ? rev + 1 : rev];
    }),
  );
  return { ...inputs, credentialRevisions: revisions };
}

/** State from the vault's own fields and its credentials, each already in output form. */
function vaultState(inputs: VaultInputs | ReadInputs, vault: Pick<VaultState, "vaultId" | "status" | "archived" | "createdAt" | "updatedAt">, credentials: CredentialOutput[]): VaultState {
  const sorted = byUrl(credentials);
  return {
    displayName: inputs.displayName,
    metadata: inputs.metadata,
    deletionPolicy: inputs.deletionPolicy,
    ...(inputs.adoptId ? { adoptId: inputs.adoptId } : {}),
    ...(inputs.sourceFile ? { sourceFile: inputs.sourceFile } : {}),
    ...(inputs.credentialRevisions ? { credentialRevisions: inputs.credentialRevisions } : {}),
    credentials: sorted,
    ...vault,
    credentialIds: sorted.map((c) => c.credentialId),
  };
}

export const vaultKind: Kind<VaultInputs, VaultState, LiveVault, ReadInputs> = {
  name: "vault",
  title: "Vault",
  idOutput: "vaultId",
  schema: vaultSchema,
  fields,
  outputs: { vaultId: true, status: true, archived: true, credentialIds: true, createdAt: true, updatedAt: true },
  deletion: { default: "delete", canArchive: true },
  validate,
  enrich: credentialRevisions,
  lockKey: (id) => `vault:${id}`,
  prepareCompare: primeCredentialDigests,
  keyBody: (body) => ({ ...body, credentials: (body.credentials ?? []).map(withKeyedToken) }),

  create: async (c, i, opts) => {
    const vault = await c.vaults.create({ display_name: i.displayName, metadata: i.metadata, credentials: (i.credentials ?? []).map(credentialBody) }, opts);
    return { vault, credentials: vault.credentials ?? [] };
  },
  get: (c, id) => readVault(c, id),
  // Adding, removing or rotating a credential converges through the credential endpoints; the
  // vault itself has no update. There is no in-place token update: rotation deletes the old
  // credential, then creates anew. State: the kept credentials as state knew them, the new ones
  // as the server answered them.
  update: async (c, id, olds, news) => {
    const known = knownCredentials(olds);
    const vault = { vaultId: olds.vaultId, status: olds.status, archived: olds.archived, createdAt: olds.createdAt, updatedAt: olds.updatedAt };
    if (news.credentials === undefined) return vaultState(news, vault, known); // managed elsewhere: nothing to converge
    const kept: CredentialOutput[] = [];
    for (const k of known) {
      const want = news.credentials.find((d) => d.mcpServerUrl === k.mcpServerUrl);
      if (want && credentialCurrent(want, k)) {
        kept.push(k);
        continue;
      }
      try {
        await c.vaults.credentials.delete(id, k.credentialId);
      } catch (e) {
        if (!(e instanceof NotFoundError)) throw e;
      }
    }
    const created: CredentialOutput[] = [];
    for (const d of news.credentials) {
      if (kept.some((k) => k.mcpServerUrl === d.mcpServerUrl)) continue;
      created.push(credentialOutput(await c.vaults.credentials.create(id, credentialBody(d)), d.token, undefined));
    }
    return vaultState(news, vault, [...kept, ...created]);
  },
  archive: (c, id) => c.vaults.archive(id),
  destroy: (c, id) => c.vaults.delete(id),

  toInputs: (live, prev) => ({
    displayName: live.vault.display_name,
    metadata: live.vault.metadata,
    // Tokens are write-only: the API never returns them, so refreshed inputs carry none; on
    // adoption the program's token for the same URL stands (trusted, so state digests it). The
    // auth{} shape has no protocol: the one last sent for that credential stands.
    credentials: byUrl(
      live.credentials.map((c) => {
        const url = serverUrl(c);
        const token = givenCredentials(prev).find((g) => g.mcpServerUrl === url)?.token;
        return { mcpServerUrl: url, protocol: protocolOf(c.protocol, knownCredentials(prev).find((k) => k.credentialId === c.id)?.protocol), ...(token ? { token } : {}) };
      }),
    ),
    deletionPolicy: prev.deletionPolicy ?? "delete",
    ...(prev.adoptId ? { adoptId: prev.adoptId } : {}),
    ...(prev.credentialRevisions ? { credentialRevisions: prev.credentialRevisions } : {}),
  }),
  state: (inputs, live, prev) => {
    const known = knownCredentials(prev);
    const credentials = live.credentials.map((c) => {
      const url = serverUrl(c);
      const token = (inputs.credentials ?? []).find((d) => d.mcpServerUrl === url)?.token;
      return credentialOutput(c, token, known.find((k) => k.credentialId === c.id));
    });
    const v = live.vault;
    const archived = isArchived(v);
    return vaultState(inputs, { vaultId: v.id, status: v.status ?? "active", archived, createdAt: v.created_at, updatedAt: v.updated_at }, credentials);
  },
  isArchived: (live) => isArchived(live.vault),
};
