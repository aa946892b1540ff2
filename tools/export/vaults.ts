// vaults/<key>.yaml: display name, metadata and credentials. Tokens are write-only in the API,
// so each credential gets a `{ secret: <config key> }` reference and the report prints the
// `pulumi config set --secret` line to run.
import { credentialAuthType, credentialServerUrl, type VaultCredential } from "../../sdk";
import { fromApi, toApiKey } from "../../provider/casing";
import { vaultSchema } from "../../provider/kinds/vault";
import type { LiveVault } from "./account";
import { vaultFile } from "./layout";
import { place, schemaProblems, type ExportPlan } from "./plan";
import { mapping, toYaml } from "./yaml";

const ORDER = Object.keys(vaultSchema.shape).map(toApiKey);
/** The credential protocol a file may leave out (kinds/credentials.ts). */
const DEFAULT_PROTOCOL = "streamable_http";

export interface VaultContext {
  keys: Map<string, string>;
  includeArchived: boolean;
}

/** `<vault>-<host>-token`, lowercase: readable in `pulumi config`, unique within the vault. */
function configKey(vaultKey: string, url: string, taken: Set<string>): string {
  let host = url;
  try {
    host = new URL(url).hostname;
  } catch {
    // the schema check reports the URL itself
  }
  const base = `${vaultKey}-${host}-token`.toLowerCase().replace(/[^a-z0-9_]+/g, "-");
  let key = base;
  for (let n = 2; taken.has(key); n++) key = `${base}-${n}`;
  taken.add(key);
  return key;
}

export function exportVault({ vault, credentials = [] }: LiveVault, ctx: VaultContext, plan: ExportPlan): void {
  const placed = place("vault", vault, vault.display_name, ctx, plan, vaultFile);
  if (!placed) return;
  const { who, archived, key, file } = placed;
  const problems: string[] = [];
  const taken = new Set<string>();
  const sorted = [...credentials].sort((a, b) => ((credentialServerUrl(a) ?? "") < (credentialServerUrl(b) ?? "") ? -1 : 1)); // the provider's order
  const secrets = sorted.map((c) => ({ url: credentialServerUrl(c) ?? "", key: "" }));
  const creds = sorted.map((c, i) => {
    const type = credentialAuthType(c);
    if (type !== "static_bearer") problems.push(`credentials[${i}]: ${JSON.stringify(type)} credentials are not held by vault files (only static_bearer MCP tokens)`);
    secrets[i].key = configKey(key, secrets[i].url, taken);
    return { mcp_server_url: secrets[i].url, protocol: protocol(c), token: { secret: secrets[i].key } };
  });
  const values: Record<string, unknown> = { display_name: vault.display_name === key ? undefined : vault.display_name, metadata: vault.metadata, credentials: creds };
  const settings = mapping(ORDER.map((k) => [k, values[k]]));
  // The schema wants a token string where the file has a reference: check it with a placeholder.
  const asArgs = fromApi<Record<string, unknown>>({ display_name: vault.display_name, ...settings, credentials: creds.map((c) => ({ ...c, token: "placeholder" })) });
  problems.push(...schemaProblems(vaultSchema, asArgs));
  if (problems.length) return plan.refuse(who, problems);
  plan.write(file, toYaml(settings));
  plan.counts.vaults++;
  for (const s of secrets) plan.secrets.push({ key: s.key, file, url: s.url });
  if (archived) plan.notes.push({ subject: who, detail: `archived: ${file} has no recorded id, so \`pulumi up\` creates a new vault` });
  else plan.ids.set(file, vault.id);
}

function protocol(c: VaultCredential): string | undefined {
  return c.protocol && c.protocol !== DEFAULT_PROTOCOL ? c.protocol : undefined;
}
