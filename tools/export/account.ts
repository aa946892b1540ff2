// Everything the export needs from an account, read through the sdk (GETs only). Every object
// of a kind asked for is listed, archived and filtered-out ones too: file names are computed
// over all of them (so a filter never renames a file) and the report names what was left out.
// Contents (skill zips, memories, credentials) are read only for objects that are exported.
import { isArchived, type Agent, type Environment, type Memory, type MemoryStore, type QoderClient, type Skill, type Vault, type VaultCredential } from "../../sdk";
import type { ExportKind } from "./layout";

export interface LiveVault {
  vault: Vault;
  /** Active credentials only (archived ones hold no secret); undefined when not read. */
  credentials?: VaultCredential[];
}

export interface LiveMemoryStore {
  store: MemoryStore;
  /** With content; undefined when not read. */
  memories?: Memory[];
}

export interface Account {
  agents: Agent[];
  environments: Environment[];
  /** `content` (a base64 zip) on the skills exported; listed for agents' references too. */
  skills: Skill[];
  vaults: LiveVault[];
  memoryStores: LiveMemoryStore[];
  /** Uploaded files: not exported yet (files/ is newer than qoder-export), only counted for the report. */
  fileCount: number;
}

export interface ReadOptions {
  kinds: ReadonlySet<ExportKind>;
  /** Is an object with this name exported (the name filter)? */
  keep: (name: string) => boolean;
  includeArchived: boolean;
}

const PAGE = { limit: 100, include_archived: true } as const;

export async function readAccount(c: QoderClient, o: ReadOptions): Promise<Account> {
  const when = <T>(yes: boolean, list: () => Promise<T[]>): Promise<T[]> => (yes ? list() : Promise.resolve([]));
  const wanted = (name: string, archived: boolean) => o.keep(name) && (o.includeArchived || !archived);
  const [agents, environments, skillList, vaultList, storeList, files] = await Promise.all([
    when(o.kinds.has("agents"), () => c.agents.list(PAGE).toArray()),
    when(o.kinds.has("environments"), () => c.environments.list(PAGE).toArray()),
    when(o.kinds.has("skills") || o.kinds.has("agents"), () => c.skills.list({ limit: 100 }).toArray()),
    when(o.kinds.has("vaults"), () => c.vaults.list(PAGE).toArray()),
    when(o.kinds.has("memory-stores"), () => c.memoryStores.list(PAGE).toArray()),
    c.files.list({ limit: 100 }).toArray(),
  ]);
  // One object at a time: an account may hold many, and the service rate-limits.
  const skills: Skill[] = [];
  for (const s of skillList) skills.push(o.kinds.has("skills") && o.keep(s.name) ? await c.skills.get(s.id, { includeContent: true }) : s);
  const vaults: LiveVault[] = [];
  for (const vault of vaultList) {
    vaults.push(wanted(vault.display_name, isArchived(vault)) ? { vault, credentials: await c.vaults.credentials.list(vault.id, { limit: 100 }).toArray() } : { vault });
  }
  const memoryStores: LiveMemoryStore[] = [];
  for (const store of storeList) {
    if (!wanted(store.name, isArchived(store))) {
      memoryStores.push({ store });
      continue;
    }
    const memories: Memory[] = [];
    for (const m of await c.memoryStores.memories.list(store.id, { limit: 100 }).toArray()) memories.push(await c.memoryStores.memories.get(store.id, m.id));
    memoryStores.push({ store, memories });
  }
  return { agents, environments, skills, vaults, memoryStores, fileCount: files.length };
}
