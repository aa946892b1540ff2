// Vaults and standalone vault credentials whose inputs come from the test (QODER_E2E_ARGS).
import * as qoder from "../../../provider";

export default function program(args: {
  vaults?: Record<string, qoder.VaultArgs>;
  credentials?: Record<string, qoder.VaultCredentialArgs>;
  opts?: Record<string, any>;
}) {
  const out: Record<string, unknown> = {};
  const vaults: Record<string, qoder.Vault> = {};
  for (const [name, a] of Object.entries(args.vaults ?? {})) {
    const v = (vaults[name] = new qoder.Vault(name, a, args.opts?.[name]));
    out[name] = { vaultId: v.vaultId, credentialIds: v.credentialIds, status: v.status };
  }
  for (const [name, a] of Object.entries(args.credentials ?? {})) {
    // "ref:<vault>" names a vault of this program.
    const ref = typeof a.vaultId === "string" && a.vaultId.startsWith("ref:") ? vaults[a.vaultId.slice(4)] : undefined;
    const c = new qoder.VaultCredential(name, ref ? { ...a, vaultId: ref.vaultId } : a, args.opts?.[name]);
    out[name] = { credentialId: c.credentialId, status: c.status };
  }
  return out;
}
