// From case files to sessions to start: Fleet names resolved to the ids (and agent versions) a
// stack deployed, or to ids given on the command line, and every object checked to exist on the
// service. Any problem is reported, with its file and field, before a single session starts.
import type { QoderClient } from "../../sdk";
import { NotFoundError } from "../../sdk/errors";
import { Problems } from "../../provider/fleet/files";
import { CaseConfigError, looksLikeId, type FileRef, type TestCase } from "./cases";
import type { FleetOutputs } from "./stack-outputs";

export interface AgentTarget {
  /** As the case names it (Fleet name or id). */
  label: string;
  id: string;
  /** Pinned: the session runs exactly this version. */
  version: number;
}

export interface PlannedCase {
  test: TestCase;
  agent: AgentTarget;
  environmentId: string;
  vaultIds: string[];
  memoryStores: Array<{ id: string; access: "read_only" | "read_write" }>;
  files: FileRef[];
}

export interface PlanOptions {
  client: QoderClient;
  /** The stack's Fleet outputs (`--stack`). */
  outputs?: FleetOutputs;
  /** `--agent NAME=ID`: ids for Fleet names without a stack. */
  agentIds?: Record<string, string>;
  /** `--agent ID`: every case runs against this agent. */
  agentOverride?: string;
  /** `--environment ID`: for cases whose agent has no Fleet environment. */
  defaultEnvironment?: string;
}

type Kind = "environments" | "vaults" | "memoryStores";
const KIND_LABEL: Record<Kind, { what: string; prefix: string; folder: string }> = {
  environments: { what: "environment", prefix: "env", folder: "environments" },
  vaults: { what: "vault", prefix: "vault", folder: "vaults" },
  memoryStores: { what: "memory store", prefix: "memstore", folder: "memory-stores" },
};

export async function planCases(cases: TestCase[], o: PlanOptions): Promise<PlannedCase[]> {
  const problems = new Problems();
  const planned: PlannedCase[] = [];
  let firstEnvironment: string | undefined | null = null; // null: not looked up yet

  for (const test of cases) {
    const f = test.fields;
    const agentRef = o.agentOverride ?? test.agent;
    const fleetAgent = o.agentOverride ? undefined : o.outputs?.agents[agentRef];
    const agentId = o.agentOverride ?? fleetAgent?.id ?? o.agentIds?.[agentRef] ?? (looksLikeId(agentRef, "agent") ? agentRef : undefined);
    if (!agentId) {
      const known = o.outputs ? Object.keys(o.outputs.agents) : Object.keys(o.agentIds ?? {});
      const hint = o.outputs ? `the stack's agents are ${known.map((k) => `"${k}"`).join(", ") || "(none)"}` : "pass --stack to read Fleet names from its outputs, or --agent NAME=agent_…";
      problems.add(test.file, f.agent, `no agent "${agentRef}": ${hint}`);
      continue;
    }
    const ref = (kind: Kind, value: string, field: string): string | undefined => {
      const id = o.outputs?.[kind]?.[value]?.id ?? (looksLikeId(value) ? value : undefined);
      if (!id) {
        const k = KIND_LABEL[kind];
        const where = o.outputs?.[kind] ? `not in the stack's ${kind} output` : o.outputs ? `the stack has no ${kind} output` : "not an id, and no --stack to resolve Fleet names";
        problems.add(test.file, field, `no ${k.what} "${value}" (${where}; expected a Fleet name from ${k.folder}/ or an id such as ${k.prefix}_…)`);
      }
      return id;
    };
    let environmentId = test.environment !== undefined ? ref("environments", test.environment, f.environment) : (fleetAgent?.environmentId ?? o.defaultEnvironment);
    if (test.environment === undefined && !environmentId) {
      if (firstEnvironment === null) firstEnvironment = (await o.client.environments.list({ limit: 1 }).toArray())[0]?.id;
      environmentId = firstEnvironment;
      if (!environmentId) problems.add(test.file, f.environment, "no environment to run in: name one, give the agent a Fleet environment, or pass --environment env_…");
    }
    const vaultIds = test.vaults ? test.vaults.map((v, i) => ref("vaults", v, `${f.vaults}[${i}]`)) : (fleetAgent?.vaultIds ?? []);
    const memoryStores = test.memoryStores
      ? test.memoryStores.map((m, i) => ({ id: ref("memoryStores", m.ref, `${f.memory_stores}[${i}]`), access: m.access }))
      : (fleetAgent?.memoryStoreIds ?? []).map((id) => ({ id, access: "read_only" as const }));
    if (!environmentId || vaultIds.some((v) => !v) || memoryStores.some((m) => !m.id)) continue;
    planned.push({
      test,
      agent: { label: agentRef, id: agentId, version: fleetAgent?.version ?? 0 },
      environmentId,
      vaultIds: vaultIds as string[],
      memoryStores: memoryStores as PlannedCase["memoryStores"],
      files: test.files,
    });
  }
  if (problems.list.length) throw new CaseConfigError(problems.list);
  await checkOnService(planned, o.client, problems);
  if (problems.list.length) throw new CaseConfigError(problems.list);
  return planned;
}

/** Every agent, environment, vault and store exists (and the pinned agent version too). */
async function checkOnService(planned: PlannedCase[], client: QoderClient, problems: Problems): Promise<void> {
  const once = new Map<string, Promise<string | undefined>>();
  const missing = (key: string, get: () => Promise<unknown>) => {
    if (!once.has(key)) once.set(key, get().then(() => undefined, (e: unknown) => (e instanceof NotFoundError ? "was not found on the service" : Promise.reject(e))));
    return once.get(key)!;
  };
  const latest = new Map<string, Promise<{ version: number; archived: boolean } | undefined>>();
  for (const p of planned) {
    const f = p.test.fields;
    const id = p.agent.id;
    if (!latest.has(id)) {
      latest.set(id, client.agents.get(id).then((a) => ({ version: a.version, archived: !!a.archived_at }), (e: unknown) => (e instanceof NotFoundError ? undefined : Promise.reject(e))));
    }
    const agent = await latest.get(id)!;
    const shown = p.agent.label === id ? id : `"${p.agent.label}" (${id})`;
    if (!agent) problems.add(p.test.file, f.agent, `agent ${shown} was not found on the service`);
    else if (agent.archived) problems.add(p.test.file, f.agent, `agent ${shown} is archived and cannot start a session`);
    else if (p.agent.version > agent.version) problems.add(p.test.file, f.agent, `agent ${shown} has no version ${p.agent.version} (latest ${agent.version})`);
    else if (p.agent.version === 0) p.agent.version = agent.version; // no stack: pin the version current now
    const check = async (field: string, what: string, key: string, get: () => Promise<unknown>) => {
      const why = await missing(key, get);
      if (why) problems.add(p.test.file, field, `${what} ${key} ${why}`);
    };
    await check(f.environment, "environment", p.environmentId, () => client.environments.get(p.environmentId));
    for (const [i, v] of p.vaultIds.entries()) await check(p.test.vaults ? `${f.vaults}[${i}]` : f.agent, "vault", v, () => client.vaults.get(v));
    for (const [i, m] of p.memoryStores.entries()) await check(p.test.memoryStores ? `${f.memory_stores}[${i}]` : f.agent, "memory store", m.id, () => client.memoryStores.get(m.id));
    for (const [i, file] of p.files.entries()) if (file.kind === "id") await check(`files[${i}]`, "file", file.id, () => client.files.get(file.id));
  }
}
