// qoder.Fleet: a directory of agents (Markdown + frontmatter), environments, skills, vaults,
// memory stores and files, as child resources wired by name. See docs/GITOPS.md for the layout.
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { Agent, Environment, File, Memory, MemoryStore, Skill, Vault } from "../resources";
import { Problems } from "./files";
import { loadFleet, type FleetSpec, type SecretRef } from "./spec";

export { FleetConfigError } from "./files";
export { loadFleet, type FleetSpec } from "./spec";

export interface FleetArgs {
  /** The configuration directory, relative to the program's working directory. */
  dir: string;
}

export interface FleetEntry {
  id: string;
  version?: number;
}

/**
 * An agent's id and version, plus what Qoder binds when a session starts (not part of the
 * agent itself): pass these as the session's environment_id, vault_ids, memory stores and
 * file resources.
 */
export interface FleetAgentEntry extends FleetEntry {
  environmentId?: string;
  vaultIds: string[];
  memoryStoreIds: string[];
  fileIds: string[];
}

type Map<T> = pulumi.Output<Record<string, T>>;

/** `pulumi config` value for a token reference; a missing key is reported with its file. */
function secretFor(ref: SecretRef): pulumi.Output<string> | undefined {
  const [ns, key] = ref.secret.includes(":") ? ref.secret.split(":", 2) : [undefined, ref.secret];
  return new pulumi.Config(ns).getSecret(key);
}

/** A skill or file source relative to the program's cwd when inside it: the same state on every machine. */
function portablePath(dir: string): string {
  const rel = path.relative(process.cwd(), dir);
  return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel.split(path.sep).join("/") : dir;
}

export class Fleet extends pulumi.ComponentResource {
  readonly agents: Map<FleetAgentEntry>;
  readonly environments: Map<FleetEntry>;
  readonly skills: Map<FleetEntry>;
  readonly vaults: Map<FleetEntry>;
  readonly memoryStores: Map<FleetEntry>;
  /** Seeded memories by `<store>/<path>`. */
  readonly memories: Map<FleetEntry>;
  /** Uploaded files by their path below files/. */
  readonly files: Map<FleetEntry>;
  /** The parsed configuration. */
  readonly spec: FleetSpec;

  constructor(name: string, args: FleetArgs, opts?: pulumi.ComponentResourceOptions) {
    // Everything is read and checked before the component or any child is registered.
    const spec = loadFleet(args.dir);
    const tokens = resolveTokens(spec);
    super("qoder:index:Fleet", name, {}, opts);
    this.spec = spec;
    const child = { parent: this };
    const n = (kind: string, key: string) => `${name}-${kind}-${key}`;

    // References go through the id outputs (`skillId`, `memoryStoreId`...), which resolve from
    // each resource's `id`: known while an in-place update is previewed, so editing a skill or
    // a store previews that one update, not its agents or memories too.
    const skills = mapValues(spec.skills, (s, key) => new Skill(n("skill", key), { source: portablePath(s.dir), sourceFile: `${portablePath(s.dir)}/`, ...adopting(s.adoptId) }, child));
    const environments = mapValues(spec.environments, (e, key) => new Environment(n("env", key), { ...e.args, sourceFile: portablePath(e.file) }, child));
    const vaults = mapValues(spec.vaults, (v, key) => {
      const credentials = (v.args.credentials ?? []).map((c, i) => ({ ...c, token: tokens[key][i] }));
      return new Vault(n("vault", key), { ...v.args, credentials, sourceFile: portablePath(v.file) }, child);
    });
    const stores = mapValues(spec.memoryStores, (m, key) => new MemoryStore(n("memstore", key), { ...m.args, sourceFile: portablePath(m.file) }, child));
    const memories: Record<string, Memory> = {};
    for (const [key, store] of Object.entries(spec.memoryStores)) {
      for (const seed of store.memories) {
        memories[`${key}/${seed.path}`] = new Memory(n("memory", `${key}/${seed.path}`), { storeId: stores[key].memoryStoreId, path: seed.path, content: seed.content, sourceFile: portablePath(seed.file), ...adopting(seed.adoptId) }, child);
      }
    }
    const files = mapValues(spec.files, (f, key) => new File(n("file", key), { source: portablePath(f.file), sourceFile: portablePath(f.file), ...adopting(f.adoptId) }, child));
    const agents = mapValues(spec.agents, (a, key) => {
      const skillRefs = a.skills.map((s) => (s.version ? { skillId: skills[s.name].skillId, version: s.version } : skills[s.name].skillId));
      return new Agent(n("agent", key), { ...a.args, skills: skillRefs, sourceFile: portablePath(a.file) }, child);
    });

    this.agents = pulumi.output(
      mapValues(spec.agents, (a, key) => ({
        id: agents[key].agentId,
        version: agents[key].version,
        ...(a.environment ? { environmentId: environments[a.environment].environmentId } : {}),
        vaultIds: a.vaults.map((v) => vaults[v].vaultId),
        memoryStoreIds: a.memoryStores.map((m) => stores[m].memoryStoreId),
        fileIds: a.files.map((f) => files[f].fileId),
      })),
    ) as Map<FleetAgentEntry>;
    this.environments = pulumi.output(mapValues(environments, (e) => ({ id: e.environmentId }))) as Map<FleetEntry>;
    this.skills = pulumi.output(mapValues(skills, (s) => ({ id: s.skillId, version: s.version }))) as Map<FleetEntry>;
    this.vaults = pulumi.output(mapValues(vaults, (v) => ({ id: v.vaultId }))) as Map<FleetEntry>;
    this.memoryStores = pulumi.output(mapValues(stores, (m) => ({ id: m.memoryStoreId }))) as Map<FleetEntry>;
    this.memories = pulumi.output(mapValues(memories, (m) => ({ id: m.memoryId, version: m.version }))) as Map<FleetEntry>;
    this.files = pulumi.output(mapValues(files, (f) => ({ id: f.fileId }))) as Map<FleetEntry>;
    this.registerOutputs({
      agents: this.agents,
      environments: this.environments,
      skills: this.skills,
      vaults: this.vaults,
      memoryStores: this.memoryStores,
      memories: this.memories,
      files: this.files,
    });
  }
}

function resolveTokens(spec: FleetSpec): Record<string, pulumi.Output<string>[]> {
  const problems = new Problems();
  const out: Record<string, pulumi.Output<string>[]> = {};
  for (const [key, v] of Object.entries(spec.vaults)) {
    out[key] = v.tokens.map((ref, i) => {
      const value = secretFor(ref);
      if (!value) problems.add(v.file, `credentials[${i}].token.secret`, `config key "${ref.secret}" is not set: pulumi config set --secret ${ref.secret} <token>`);
      return value!;
    });
  }
  problems.throwIfAny();
  return out;
}

/** The ids file's id as the resource's `adoptId` (agents, environments, vaults and stores carry it in their args). */
function adopting(adoptId: string | undefined): { adoptId?: string } {
  return adoptId ? { adoptId } : {};
}

function mapValues<T, U>(o: Record<string, T>, f: (v: T, key: string) => U): Record<string, U> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, f(v, k)]));
}
