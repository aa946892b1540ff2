// The baseline: the same API work as a stack's phase, done by a plain script with our sdk client
// at Pulumi's default parallelism. (T(stack) − T(empty stack)) / T(baseline) is the provider's
// own share of a phase's wall time.
import { QoderClient } from "../sdk";
import { zipDirectory } from "../provider/skill-zip";
import type { StackShape } from "../test/e2e/harness/resource-specs";
import { pool, timed } from "./pool";

/** `pulumi up --help` of v3.274: "(default 8)". */
export const PULUMI_DEFAULT_PARALLELISM = 8;

interface Made {
  agents: string[];
  env?: string;
  skill?: string;
  vault?: string;
  cred?: string;
  store?: string;
  memory?: string;
}

export interface BaselineTimes {
  create: number;
  refresh: number;
  update: number;
  destroy: number;
}

export async function runBaseline(api: QoderClient, shape: StackShape & { skillDir: string; outsideVaultId: string }): Promise<BaselineTimes> {
  const made: Made = { agents: [] };
  const p = PULUMI_DEFAULT_PARALLELISM;
  const agentBody = (i: number) => ({ name: `agent-${i}`, model: "ultimate", system: `You are agent ${i}.`, metadata: { team: "bench" } });
  const creates: Array<() => Promise<unknown>> = [];
  for (let i = 0; i < shape.agents; i++) creates.push(async () => made.agents.push((await api.agents.create(agentBody(i) as any)).id));
  if (shape.others) {
    const zip = zipDirectory(shape.skillDir).zip;
    creates.push(
      async () => (made.env = (await api.environments.create({ name: "env", config: { type: "cloud", networking: { type: "allowed_hosts", allowed_hosts: ["api.example.com"] } } } as any)).id),
      async () => (made.skill = (await api.skills.create({ file: zip, filename: "skill.zip" } as any)).id),
      async () =>
        (made.vault = (
          await api.vaults.create({
            display_name: "vault",
            credentials: [{ type: "static_bearer", mcp_server_url: "https://mcp.example.com/a", protocol: "streamable_http", access_token: "t" }],
          } as any)
        ).id),
      async () =>
        (made.cred = (await api.vaults.credentials.create(shape.outsideVaultId, { type: "static_bearer", mcp_server_url: "https://mcp.example.com/b", protocol: "streamable_http", access_token: "t" } as any)).id),
      async () => {
        made.store = (await api.memoryStores.create({ name: "store", description: "Team notes." } as any)).id;
        made.memory = (await api.memoryStores.memories.create(made.store, { path: "notes/team.md", content: "Be kind." } as any)).id;
      },
    );
  }
  const create = await timed(() => pool(creates, p));

  const reads: Array<() => Promise<unknown>> = made.agents.map((id) => () => api.agents.get(id));
  if (shape.others) {
    reads.push(
      () => api.environments.get(made.env!),
      () => api.skills.get(made.skill!),
      () => api.vaults.get(made.vault!),
      () => api.vaults.credentials.get(shape.outsideVaultId, made.cred!),
      () => api.memoryStores.get(made.store!),
      () => api.memoryStores.memories.get(made.store!, made.memory!),
    );
  }
  const refresh = await timed(() => pool(reads, p));

  const update = shape.agents ? await timed(() => api.agents.update(made.agents[0], { version: 1, system: "changed" } as any)) : 0;

  const deletes: Array<() => Promise<unknown>> = made.agents.map((id) => () => api.agents.delete(id));
  if (shape.others) {
    deletes.push(
      () => api.environments.delete(made.env!),
      () => api.skills.delete(made.skill!),
      () => api.vaults.delete(made.vault!),
      () => api.vaults.credentials.delete(shape.outsideVaultId, made.cred!),
      async () => {
        await api.memoryStores.memories.delete(made.store!, made.memory!);
        await api.memoryStores.delete(made.store!);
      },
    );
  }
  const destroy = await timed(() => pool(deletes, p));
  return { create, refresh, update, destroy };
}
