// An account as a Fleet directory, in memory: the files, the ids to adopt, and the report.
import { stringify } from "yaml";
import type { Account } from "./account";
import { exportAgent } from "./agents";
import { exportEnvironment } from "./environments";
import { IDS_FILE, type ExportKind } from "./layout";
import { exportMemoryStore } from "./memory-stores";
import { fileKeys, type Named, type NameClash } from "./names";
import { ExportPlan } from "./plan";
import { exportSkill } from "./skills";
import { exportVault } from "./vaults";

export interface ExportOptions {
  kinds: ReadonlySet<ExportKind>;
  keep: (name: string) => boolean;
  includeArchived: boolean;
}

const named = (id: string, name: string, createdAt: string): Named => ({ id, name, createdAt });

export function planExport(account: Account, o: ExportOptions): ExportPlan {
  const plan = new ExportPlan();
  // Keys over every object of a kind (filtered out or archived too): a filter never renames a file.
  const keysOf = (kind: ExportKind, prefix: string, objects: Named[]) => {
    const { keys, clashes } = fileKeys(objects, prefix);
    if (o.kinds.has(kind)) for (const c of clashes) plan.clashes.push({ kind, text: clashText(kind, c) });
    return keys;
  };
  const agentKeys = keysOf("agents", "agent", account.agents.map((a) => named(a.id, a.name, a.created_at)));
  const environmentKeys = keysOf("environments", "environment", account.environments.map((e) => named(e.id, e.name, e.created_at)));
  const skillKeys = keysOf("skills", "skill", account.skills.map((s) => named(s.id, s.name, s.created_at)));
  const vaultKeys = keysOf("vaults", "vault", account.vaults.map(({ vault: v }) => named(v.id, v.display_name, v.created_at)));
  const storeKeys = keysOf("memory-stores", "memory-store", account.memoryStores.map(({ store: s }) => named(s.id, s.name, s.created_at)));
  const { includeArchived } = o;

  const skillsWritten = new Set<string>();
  if (o.kinds.has("skills")) for (const s of account.skills.filter((s) => o.keep(s.name))) if (exportSkill(s, { keys: skillKeys }, plan)) skillsWritten.add(s.id);
  if (o.kinds.has("environments")) for (const e of account.environments.filter((e) => o.keep(e.name))) exportEnvironment(e, { keys: environmentKeys, includeArchived }, plan);
  if (o.kinds.has("vaults")) for (const v of account.vaults.filter((v) => o.keep(v.vault.display_name))) exportVault(v, { keys: vaultKeys, includeArchived }, plan);
  if (o.kinds.has("memory-stores")) for (const m of account.memoryStores.filter((m) => o.keep(m.store.name))) exportMemoryStore(m, { keys: storeKeys, includeArchived }, plan);
  if (o.kinds.has("agents")) for (const a of account.agents.filter((a) => o.keep(a.name))) exportAgent(a, { keys: agentKeys, skillKeys, skillsWritten, includeArchived }, plan);
  if (account.fileCount) {
    plan.skipped.push({ subject: `${account.fileCount} uploaded file(s)`, detail: "not exported: qoder-export does not write the Fleet's files/ folder yet" });
  }
  if (plan.ids.size) plan.write(IDS_FILE, idsFile(plan.ids));
  return plan;
}

const IDS_HEADER = `# Written by qoder-export: the Qoder object each file (or skill folder) was exported from.
# The first \`pulumi up\` adopts these objects (reads them, writes only what a file changes)
# instead of creating new ones. Rename an entry together with its file. After that first \`up\`,
# delete this file: an entry only matters when its resource is created.
`;

function idsFile(ids: Map<string, string>): string {
  const sorted = Object.fromEntries([...ids].sort(([a], [b]) => (a < b ? -1 : 1)));
  return IDS_HEADER + stringify(sorted, { lineWidth: 0 });
}

function clashText(kind: ExportKind, c: NameClash): string {
  const why = { duplicate: "one name", case: "names that differ only in case", file: "names that make one file name" }[c.kind];
  return `${kind}: ${why}: ${c.members.map((m) => `${JSON.stringify(m.name)} (${m.id}) → ${m.key}`).join(", ")}`;
}
