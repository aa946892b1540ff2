// Every object the emulator holds, listed through the public API (archived ones included), so
// tests can say "exactly the declared objects, no duplicates".
import { QoderClient } from "../sdk";
import type { EmulatorProcess } from "./emulator-process";

export interface LiveObject {
  kind: string;
  id: string;
  /** The name users see: name, display name, server URL or memory path. */
  label: string;
  archived: boolean;
}

export function apiOf(emu: EmulatorProcess): QoderClient {
  return new QoderClient({ token: emu.token, baseUrl: emu.baseUrl, maxRetries: 0 });
}

const archivedOf = (o: any) => o.archived === true || !!o.archived_at || o.status === "archived";

export async function inventory(emu: EmulatorProcess): Promise<LiveObject[]> {
  const api = apiOf(emu);
  const all = { include_archived: true } as const;
  const out: LiveObject[] = [];
  const add = (kind: string, o: any, label: string) => out.push({ kind, id: o.id, label, archived: archivedOf(o) });
  for (const a of await api.agents.list(all).toArray()) add("agent", a, a.name);
  for (const e of await api.environments.list(all).toArray()) if (e.name !== "default") add("environment", e, e.name);
  for (const s of await api.skills.list(all).toArray()) add("skill", s, s.name);
  for (const v of await api.vaults.list(all).toArray()) {
    add("vault", v, (v as any).display_name);
    for (const c of await api.vaults.credentials.list(v.id, all).toArray()) add("credential", c, (c as any).mcp_server_url ?? (c as any).auth?.mcp_server_url);
  }
  for (const m of await api.memoryStores.list(all).toArray()) {
    add("memoryStore", m, m.name);
    for (const e of await api.memoryStores.memories.list(m.id).toArray()) add("memory", e, (e as any).path);
  }
  for (const f of await api.files.list().toArray()) add("file", f, f.filename);
  return out;
}

/** "kind label" of each live (not archived) object, sorted: compare with the declared ones. */
export async function liveLabels(emu: EmulatorProcess): Promise<string[]> {
  return (await inventory(emu)).filter((o) => !o.archived).map((o) => `${o.kind} ${o.label}`).sort();
}

/** A vault made outside any stack, to host standalone VaultCredentials. */
export async function outsideVault(emu: EmulatorProcess, name = "outside"): Promise<string> {
  return (await apiOf(emu).vaults.create({ display_name: name } as any)).id;
}
