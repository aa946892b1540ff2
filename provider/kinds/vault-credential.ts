import { z } from "zod";
import { isArchived, type VaultCredential } from "../../sdk";
import { deletingDeletion, idOf, sourceFile } from "../schemas";
import type { FieldRules, Kind } from "./kind";
import { credentialBody, credentialCurrent, primeCredentialDigests, credentialFields, credentialOutput, protocolOf, serverUrl, withKeyedToken, type CredentialOutput } from "./credentials";

export const vaultCredentialSchema = z
  .object({ vaultId: idOf("vault"), ...credentialFields, deletionPolicy: deletingDeletion, adoptId: idOf("vcred").optional(), sourceFile })
  .strict();

export type VaultCredentialInputs = z.output<typeof vaultCredentialSchema>;
/** As read back: the API never returns the token. */
type ReadInputs = Omit<VaultCredentialInputs, "token"> & { token?: string };

/** The token never reaches state: a salted digest of it does (CredentialOutput). */
export type VaultCredentialState = Omit<VaultCredentialInputs, "token"> &
  CredentialOutput & {
    archived: boolean;
    createdAt: string;
  };

// Qoder has no credential update: any change, a token rotation included, is a new credential.
const fields = {
  vaultId: { replace: true },
  mcpServerUrl: { replace: true },
  protocol: { replace: true },
  token: { replace: true, same: (d, _a, olds) => credentialCurrent({ ...olds, token: d }, olds) },
} satisfies FieldRules<VaultCredentialInputs, VaultCredentialState>;

export const vaultCredentialKind: Kind<VaultCredentialInputs, VaultCredentialState, VaultCredential, ReadInputs> = {
  name: "vaultCredential",
  title: "VaultCredential",
  idOutput: "credentialId",
  schema: vaultCredentialSchema,
  fields,
  outputs: { credentialId: true, status: true, archived: true, createdAt: true, tokenSalt: true, tokenDigest: true },
  deletion: { default: "delete", canArchive: true },
  deleteBeforeReplace: true, // one active credential per server URL in a vault
  lockKey: (_id, props) => `vault:${props.vaultId}`,
  keyBody: withKeyedToken,
  prepareCompare: primeCredentialDigests,

  create: (c, i, opts) => c.vaults.credentials.create(i.vaultId, credentialBody(i), opts),
  get: (c, id, parent) => c.vaults.credentials.get(parent.vaultId, id),
  update: () => Promise.reject(new Error("vault credentials are replaced, never updated")),
  archive: (c, id, props) => c.vaults.credentials.archive(props.vaultId, id),
  destroy: (c, id, props) => c.vaults.credentials.delete(props.vaultId, id),

  // The token is write-only: refreshed inputs carry none (the digest in state stands for it); on
  // adoption the program's token stands (trusted: state digests it, nothing is rotated).
  toInputs: (live, prev) => ({
    vaultId: live.vault_id ?? prev.vaultId ?? "",
    mcpServerUrl: serverUrl(live),
    protocol: protocolOf(live.protocol, prev.protocol),
    ...("token" in prev && typeof prev.token === "string" ? { token: prev.token } : {}),
    deletionPolicy: prev.deletionPolicy ?? "delete",
    ...(prev.adoptId ? { adoptId: prev.adoptId } : {}),
  }),
  state: (inputs, live, prev) => {
    const out = credentialOutput(live, inputs.token, prev);
    const adoptId = inputs.adoptId ? { adoptId: inputs.adoptId } : {};
    return { vaultId: inputs.vaultId, deletionPolicy: inputs.deletionPolicy, ...adoptId, ...out, archived: out.status === "archived", createdAt: live.created_at };
  },
  isArchived: (live) => isArchived(live),
};
