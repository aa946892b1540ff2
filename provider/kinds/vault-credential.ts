import { z } from "zod";
import { deletingDeletion, idOf } from "../schemas";
import type { Inputs, Kind, Outputs } from "./kind";
import { credentialBody, credentialCurrent, credentialFields, credentialOutput, serverUrl, withKeyedToken } from "./credentials";

const schema = z
  .object({ vaultId: idOf("vault"), ...credentialFields, deletionPolicy: deletingDeletion })
  .strict();

export const vaultCredentialKind: Kind = {
  name: "vaultCredential",
  title: "VaultCredential",
  idOutput: "credentialId",
  schema: schema as unknown as z.ZodType<Inputs>,
  // Qoder has no credential update: any change, a token rotation included, is a new credential.
  fields: {
    vaultId: { replace: true },
    mcpServerUrl: { replace: true },
    protocol: { replace: true },
    token: { replace: true, same: (d, _a, olds) => credentialCurrent({ ...olds, token: d }, olds as any) },
  },
  deletion: { default: "delete", canArchive: true },
  deleteBeforeReplace: true, // one active credential per server URL in a vault
  lockKey: (_id, props) => `vault:${props.vaultId}`,
  keyBody: withKeyedToken,

  create: (c, i, opts) => c.vaults.credentials.create(i.vaultId, credentialBody(i as any), opts),
  get: (c, id, props) => c.vaults.credentials.get(props.vaultId, id),
  update: () => Promise.reject(new Error("vault credentials are replaced, never updated")),
  archive: (c, id, props) => c.vaults.credentials.archive(props.vaultId, id),
  destroy: (c, id, props) => c.vaults.credentials.delete(props.vaultId, id),

  toInputs: (live: any, prev: Outputs) => ({
    vaultId: live.vault_id ?? prev.vaultId,
    mcpServerUrl: serverUrl(live),
    protocol: live.protocol ?? prev.protocol ?? "streamable_http",
    deletionPolicy: prev.deletionPolicy ?? "delete",
  }),
  outputs: (inputs, live: any, prev) => {
    const out = credentialOutput(live, inputs.token, prev as any);
    return {
      vaultId: inputs.vaultId,
      deletionPolicy: inputs.deletionPolicy,
      ...out,
      archived: out.status === "archived",
      createdAt: live.created_at,
    };
  },
  computed: (live: any) => ({ credentialId: live.id }),
  isArchived: (live: any) => live.status === "archived" || !!live.archived_at,
};
