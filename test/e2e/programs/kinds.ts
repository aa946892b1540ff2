// Any mix of environments, memory stores, memories and agents, from the test's arguments
// (QODER_E2E_ARGS). A memory names its store either by id (`storeId`) or by the program name of
// a MemoryStore declared alongside it (`store`), so that `storeId` is unknown during a first
// preview, as it is in real programs.
import * as pulumi from "@pulumi/pulumi";
import * as qoder from "../../../provider";

export type MemorySpec = Omit<qoder.MemoryArgs, "storeId"> & { storeId?: string; store?: string };

export interface KindsArgs {
  environments?: Record<string, qoder.EnvironmentArgs>;
  memoryStores?: Record<string, qoder.MemoryStoreArgs>;
  memories?: Record<string, MemorySpec>;
  agents?: Record<string, qoder.AgentArgs>;
  /** Resource options by resource name (ignoreChanges, retainOnDelete, ...). */
  opts?: Record<string, pulumi.CustomResourceOptions>;
}

export default function program(args: KindsArgs) {
  const out: Record<string, unknown> = {};
  const opts = (name: string) => args.opts?.[name];
  for (const [name, a] of Object.entries(args.environments ?? {})) {
    const env = new qoder.Environment(name, a, opts(name));
    out[name] = { environmentId: env.environmentId, status: env.status };
  }
  const stores: Record<string, qoder.MemoryStore> = {};
  for (const [name, a] of Object.entries(args.memoryStores ?? {})) {
    stores[name] = new qoder.MemoryStore(name, a, opts(name));
    out[name] = { memoryStoreId: stores[name].memoryStoreId, status: stores[name].status };
  }
  for (const [name, { store, storeId, ...a }] of Object.entries(args.memories ?? {})) {
    const mem = new qoder.Memory(name, { ...a, storeId: store ? stores[store].memoryStoreId : storeId! }, opts(name));
    out[name] = { memoryId: mem.memoryId, version: mem.version };
  }
  for (const [name, a] of Object.entries(args.agents ?? {})) {
    const agent = new qoder.Agent(name, a, opts(name));
    out[name] = { agentId: agent.agentId, version: agent.version };
  }
  return out;
}
