import type { RequestOptions } from "../options";
import type { ListParams } from "../pagination";
import {
  VaultCredentialSchema,
  VaultSchema,
  type Vault,
  type VaultCreate,
  type VaultCredential,
  type VaultCredentialCreate,
} from "../schemas/vault";
import type { Transport } from "../transport";
import { NestedResource, TopLevelResource } from "./collection";

/** `name` searches display names (vaults) or MCP server URLs (credentials). */
export type VaultListParams = ListParams & { name?: string };

/** Delete answers `{id, type:"vault_credential_deleted"}`; tokens are write-only and never returned. */
export class VaultCredentials extends NestedResource<VaultCredential, VaultCredentialCreate, VaultListParams> {
  constructor(t: Transport) {
    super(t, "vaults", "credentials", VaultCredentialSchema);
  }

  archive(vaultId: string, credId: string, o?: RequestOptions): Promise<VaultCredential> {
    return this.c.archive(this.at(vaultId, credId), o);
  }
}

/** Deleting a vault cascades to its credentials. */
export class Vaults extends TopLevelResource<Vault, VaultCreate, VaultListParams> {
  readonly credentials: VaultCredentials;

  constructor(t: Transport) {
    super(t, "vaults", VaultSchema);
    this.credentials = new VaultCredentials(t);
  }
}
