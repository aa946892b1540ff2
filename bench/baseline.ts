// The baseline: the same API work as a stack's phase, done by a plain script with our sdk client
// at Pulumi's default parallelism. (T(stack) − T(empty stack)) / T(baseline) is the provider's
// own share of a phase's wall time.
import { QoderClient } from "../sdk";
import { zipDirectory } from "../provider/skill-zip";
import type { StackShape } from "../testkit/resource-specs";
import { pool, timed } from "./pool";

/** `pulumi up --help` of v3.274: "(default 8)". */
export const PULUMI_DEFAULT_PARALLELISM = 8;

/** One created object: how to read it back and how to delete it. */
interface Made {
  get: () => Promise<unknown>;
  del: () => Promise<unknown>;
}

export interface BaselineTimes {
  create: number;
  refresh: number;
  update: number;
  destroy: number;
}

export async function runBaseline(api: QoderClient, shape: StackShape & { skillDir: string; outsideVaultId: string }): Promise<BaselineTimes> {
  const made: Made[] = [];
  const p = PULUMI_DEFAULT_PARALLELISM;
  const bearer = (url: string) => ({ type: "static_bearer", mcp_server_url: url, protocol: "streamable_http", access_token: "t" });
  const creates: Array<() => Promise<unknown>> = [];
  const agentBody = (i: number) => ({ name: `agent-${i}`, model: "ultimate", system: `You are agent ${i}.`, metadata: { team: "bench" } });
  for (let i = 0; i < shape.agents; i++) {
    creates.push(async () => {
      const { id } = await api.agents.create(agentBody(i) as any);
      made.push({ get: () => api.agents.get(id), del: () => api.agents.delete(id) });
    });
  }
  if (shape.others) {
    const zip = zipDirectory(shape.skillDir).zip;
    const vaultId = shape.outsideVaultId;
    creates.push(
      async () => {
        const { id } = await api.environments.create({ name: "env", config: { type: "cloud", networking: { type: "allowed_hosts", allowed_hosts: ["api.example.com"] } } } as any);
        made.push({ get: () => api.environments.get(id), del: () => api.environments.delete(id) });
      },
      async () => {
        const { id } = await api.skills.create({ file: zip, filename: "skill.zip" } as any);
        made.push({ get: () => api.skills.get(id), del: () => api.skills.delete(id) });
      },
      async () => {
        const { id } = await api.vaults.create({ display_name: "vault", credentials: [bearer("https://mcp.example.com/a")] } as any);
        made.push({ get: () => api.vaults.get(id), del: () => api.vaults.delete(id) });
      },
      async () => {
        const { id } = await api.vaults.credentials.create(vaultId, bearer("https://mcp.example.com/b") as any);
        made.push({ get: () => api.vaults.credentials.get(vaultId, id), del: () => api.vaults.credentials.delete(vaultId, id) });
      },
      async () => {
        // The memory needs its store: one task, as Pulumi orders them by dependency.
        const store = await api.memoryStores.create({ name: "store", description: "Team notes." } as any);
        const memory = await api.memoryStores.memories.create(store.id, { path: "notes/team.md", content: "Be kind." } as any);
        const dropBoth = async () => {
          await api.memoryStores.memories.delete(store.id, memory.id);
          await api.memoryStores.delete(store.id);
        };
        made.push({ get: () => api.memoryStores.get(store.id), del: dropBoth });
        made.push({ get: () => api.memoryStores.memories.get(store.id, memory.id), del: async () => undefined });
      },
    );
  }
  const create = await timed(() => pool(creates, p));
  const refresh = await timed(() => pool(made.map((m) => m.get), p));
  const firstAgent = made.length && shape.agents ? (await api.agents.list({ limit: 1 }).toArray())[0] : undefined;
  const update = firstAgent ? await timed(() => api.agents.update(firstAgent.id, { version: firstAgent.version, system: "changed" } as any)) : 0;
  const destroy = await timed(() => pool(made.map((m) => m.del), p));
  return { create, refresh, update, destroy };
}
