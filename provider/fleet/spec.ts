// A Fleet directory read into plain, validated resource args. Pure: no Pulumi resources, so
// every problem is found (and thrown, all at once) before anything is registered.
import * as fs from "node:fs";
import * as path from "node:path";
import { z } from "zod";
import { agentKind, agentSchema } from "../kinds/agent";
import { environmentSchema } from "../kinds/environment";
import { memorySchema } from "../kinds/memory";
import { memoryStoreSchema } from "../kinds/memory-store";
import { skillManifest } from "../kinds/skill";
import { vaultSchema } from "../kinds/vault";
import { isRecord } from "../json";
import { splitFrontmatter } from "../yaml-text";
import { CaseClashes, entries, FILE_LIMITS, filesBelow, NAME, parseYamlMapping, Problems, readLimited, UniqueNames } from "./files";
import { camelKeys, parseWith, validArgs } from "./keys";

export interface SecretRef {
  /** Pulumi config key, `key` (this project's namespace) or `namespace:key`. */
  secret: string;
}

type AgentInput = z.input<typeof agentSchema>;
type VaultInput = z.input<typeof vaultSchema>;

export interface AgentSpec {
  file: string;
  /** Agent args; skills by name below. */
  args: Omit<AgentInput, "skills">;
  skills: Array<{ name: string; version?: string }>;
  environment?: string;
  vaults: string[];
  memoryStores: string[];
}
export interface Spec<A> {
  file: string;
  args: A;
}
/** Vault args whose credentials carry no token yet: it comes from config (`tokens`). */
export interface VaultSpec extends Spec<Omit<VaultInput, "credentials"> & { credentials?: Array<Omit<NonNullable<VaultInput["credentials"]>[number], "token">> }> {
  /** Token reference per credential, in order. */
  tokens: SecretRef[];
}
export interface MemorySeed {
  file: string;
  path: string;
  content: string;
}
export interface FleetSpec {
  dir: string;
  agents: Record<string, AgentSpec>;
  environments: Record<string, Spec<z.input<typeof environmentSchema>>>;
  skills: Record<string, { dir: string }>;
  vaults: Record<string, VaultSpec>;
  memoryStores: Record<string, Spec<z.input<typeof memoryStoreSchema>> & { memories: MemorySeed[] }>;
}

const FOLDERS = ["agents", "environments", "skills", "vaults", "memory-stores"];
const PLACEHOLDER_STORE = `memstore_${"0".repeat(32)}`;

const agentRefs = z
  .object({
    skills: z.array(z.union([z.string().min(1), z.object({ name: z.string().min(1), version: z.union([z.string().min(1), z.number().int().positive()]).optional() }).strict()])).default([]),
    environment: z.string().min(1).optional(),
    vaults: z.array(z.string().min(1)).default([]),
    memory_stores: z.array(z.string().min(1)).default([]),
  })
  .strict();

const tokenRef = z.object({ secret: z.string().regex(/^([A-Za-z0-9_.-]+:)?[A-Za-z0-9_.-]+$/, "must be a Pulumi config key such as githubMcpToken") }).strict();

/** Reads, validates and cross-checks a Fleet directory; throws FleetConfigError listing every problem. */
export function loadFleet(dir: string): FleetSpec {
  const root = path.resolve(dir);
  const problems = new Problems();
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) {
    problems.add(root, "", "fleet directory does not exist");
    problems.throwIfAny();
  }
  for (const e of entries(root)) {
    // tests/ holds qoder-test cases (tools/agent-tests): part of the directory, not resources.
    if (!FOLDERS.includes(e.name) && e.name !== "tests" && !/^readme/i.test(e.name)) {
      problems.add(path.join(root, e.name), "", `unknown entry; a fleet holds ${FOLDERS.map((f) => `${f}/`).join(", ")}`);
    }
  }
  const spec: FleetSpec = { dir: root, agents: {}, environments: {}, skills: {}, vaults: {}, memoryStores: {} };
  readSkills(root, spec, problems);
  readYamlKind(root, "environments", environmentSchema, problems, (name, file, args) => (spec.environments[name] = { file, args }));
  readVaults(root, spec, problems);
  readMemoryStores(root, spec, problems);
  readAgents(root, spec, problems);
  problems.throwIfAny();
  return spec;
}

/** `<folder>/<name>.<ext>` files: name checked, a duplicate in another extension or case refused. */
function kindFiles(root: string, folder: string, exts: string[], problems: Problems, skipDirs = false): Array<{ name: string; file: string }> {
  const out: Array<{ name: string; file: string }> = [];
  const clashes = new CaseClashes();
  for (const e of entries(path.join(root, folder))) {
    const file = path.join(root, folder, e.name);
    if (e.isDirectory() && skipDirs) continue;
    const ext = exts.find((x) => e.name.endsWith(x));
    if (!e.isFile() || !ext) {
      problems.add(file, "", `expected ${folder}/<name>${exts[0]}`);
      continue;
    }
    const name = e.name.slice(0, -ext.length);
    if (!NAME.test(name)) problems.add(file, "", "file name must be letters, digits, '.', '_' or '-'");
    else if (clashes.ok(name, file, problems)) out.push({ name, file });
  }
  return out;
}

function readYamlKind<S extends z.ZodType>(root: string, folder: string, schema: S, problems: Problems, put: (name: string, file: string, args: z.input<S>) => void) {
  const names = new UniqueNames("name");
  for (const { name, file } of kindFiles(root, folder, [".yaml", ".yml"], problems, folder === "memory-stores")) {
    const text = readLimited(file, FILE_LIMITS.yaml, "a settings file", problems);
    const raw = text === undefined ? undefined : parseYamlMapping(text, file, "", problems);
    if (!raw) continue;
    const value = camelKeys({ name, ...raw });
    const args = validArgs(schema, value, file, "", problems);
    if (args !== undefined && names.ok(value.name, file, problems)) put(name, file, args);
  }
}

function readSkills(root: string, spec: FleetSpec, problems: Problems) {
  const clashes = new CaseClashes();
  const names = new UniqueNames("frontmatter.name");
  for (const e of entries(path.join(root, "skills"))) {
    const dir = path.join(root, "skills", e.name);
    const manifest = path.join(dir, "SKILL.md");
    if (!e.isDirectory()) problems.add(dir, "", "expected a skill directory skills/<name>/ holding SKILL.md");
    else if (!NAME.test(e.name)) problems.add(dir, "", "directory name must be letters, digits, '.', '_' or '-'");
    else if (!fs.existsSync(manifest)) problems.add(manifest, "", "missing: a skill directory needs SKILL.md at its top level");
    else if (clashes.ok(e.name, dir, problems) && skillManifestOk(manifest, names, problems)) spec.skills[e.name] = { dir };
  }
}

/** The skill kind's own frontmatter rule (checked again in preview), and one name per skill. */
function skillManifestOk(manifest: string, names: UniqueNames, problems: Problems): boolean {
  if (readLimited(manifest, FILE_LIMITS.skillManifest, "SKILL.md", problems) === undefined) return false;
  const { name, problems: found } = skillManifest(path.dirname(manifest));
  // The kind's messages start with the file; the Fleet's Problems add it (relative) itself.
  for (const p of found) problems.add(manifest, "", p.message.slice(manifest.length + 2));
  names.ok(name, manifest, problems); // recorded; the skill still resolves references
  return !found.length;
}

function readVaults(root: string, spec: FleetSpec, problems: Problems) {
  const names = new UniqueNames("display_name");
  for (const { name, file } of kindFiles(root, "vaults", [".yaml", ".yml"], problems)) {
    const text = readLimited(file, FILE_LIMITS.yaml, "a settings file", problems);
    const raw = text === undefined ? undefined : parseYamlMapping(text, file, "", problems);
    if (!raw) continue;
    const args = camelKeys({ display_name: name, ...raw });
    const tokens: SecretRef[] = [];
    const creds: unknown[] = Array.isArray(args.credentials) ? args.credentials : [];
    creds.forEach((c, i) => {
      if (!isRecord(c)) return;
      const field = `credentials[${i}].token`;
      if (typeof c.token === "string" || typeof c.token === "number") {
        // Never echo the value: it may be a real token.
        problems.add(file, field, "literal secrets are refused; reference a Pulumi secret config key instead: token: { secret: githubMcpToken } (then `pulumi config set --secret githubMcpToken`)");
      } else {
        const ref = parseWith(tokenRef, c.token, file, field, problems);
        if (ref) tokens.push(ref);
      }
      c.token = "placeholder"; // the schema checks the rest; the real value comes from config
    });
    const valid = tokens.length === creds.length ? validArgs(vaultSchema, args, file, "", problems) : undefined;
    if (valid !== undefined && names.ok(valid.displayName, file, problems)) {
      const credentials = valid.credentials?.map(({ token: _placeholder, ...c }) => c);
      spec.vaults[name] = { file, args: { ...valid, ...(credentials ? { credentials } : {}) }, tokens };
    }
  }
}

function readMemoryStores(root: string, spec: FleetSpec, problems: Problems) {
  const folder = path.join(root, "memory-stores");
  readYamlKind(root, "memory-stores", memoryStoreSchema, problems, (name, file, args) => (spec.memoryStores[name] = { file, args, memories: [] }));
  for (const e of entries(folder).filter((d) => d.isDirectory())) {
    const store = spec.memoryStores[e.name];
    const seedDir = path.join(folder, e.name, "memories");
    if (!fs.existsSync(path.join(folder, `${e.name}.yaml`)) && !fs.existsSync(path.join(folder, `${e.name}.yml`))) {
      problems.add(path.join(folder, e.name), "", `seed folder without memory-stores/${e.name}.yaml`);
      continue;
    }
    for (const other of entries(path.join(folder, e.name)).filter((x) => x.name !== "memories")) {
      problems.add(path.join(folder, e.name, other.name), "", "unknown entry; seed memories go under memories/");
    }
    const clashes = new CaseClashes();
    for (const rel of filesBelow(seedDir)) {
      const file = path.join(seedDir, rel);
      if (!clashes.ok(rel, file, problems)) continue;
      const content = readLimited(file, FILE_LIMITS.memorySeed, "a memory", problems);
      if (content === undefined) continue;
      const seed = { file, path: rel, content };
      // The file's path is the memory's path, held to the kind's rule (a file name may hold a newline).
      if (parseWith(memorySchema, { storeId: PLACEHOLDER_STORE, path: rel, content }, file, "", problems) && store) store.memories.push(seed);
    }
  }
}

function readAgents(root: string, spec: FleetSpec, problems: Problems) {
  const names = new UniqueNames("frontmatter.name");
  for (const { name, file } of kindFiles(root, "agents", [".md"], problems)) {
    const text = readLimited(file, FILE_LIMITS.agent, "an agent file", problems);
    if (text === undefined) continue;
    const { frontmatter, body } = splitFrontmatter(text);
    if (frontmatter === undefined) {
      problems.add(file, "frontmatter", "missing: start the file with a --- YAML block holding at least `model:`");
      continue;
    }
    const fm = parseYamlMapping(frontmatter, file, "frontmatter", problems, 1);
    if (!fm) continue;
    if ("system" in fm) {
      problems.add(file, "frontmatter.system", "not allowed: the Markdown body below the frontmatter is the system prompt");
      continue;
    }
    const { skills, environment, vaults, memory_stores, ...rest } = fm;
    const refs = parseWith(agentRefs, { skills, environment, vaults, memory_stores }, file, "frontmatter", problems);
    const system = body.replace(/^(?:[ \t]*\r?\n)+/, "").replace(/\s+$/, "");
    const args: Record<string, unknown> = { ...camelKeys({ name, ...rest }), system };
    // Skill ids are only known at deploy time: validate with placeholders of the same count.
    const ok = parseWith(agentSchema, { ...args, skills: (refs?.skills ?? []).map(() => "skill") }, file, "frontmatter", problems);
    if (ok) for (const p of agentKind.validate?.(ok) ?? []) problems.add(file, `frontmatter.${p.path}`, p.message);
    if (!refs) continue;

    // The schema accepted these args (with placeholder skills): they are the agent's input.
    const agent: AgentSpec = { file, args: args as Omit<AgentInput, "skills">, skills: [], environment: refs.environment, vaults: refs.vaults, memoryStores: refs.memory_stores };
    refs.skills.forEach((s, i) => {
      const ref = typeof s === "string" ? { name: s } : { name: s.name, ...(s.version !== undefined ? { version: String(s.version) } : {}) };
      if (!spec.skills[ref.name]) problems.add(file, `frontmatter.skills[${i}]`, `no skill "${ref.name}" (expected skills/${ref.name}/SKILL.md)`);
      agent.skills.push(ref);
    });
    if (refs.environment && !spec.environments[refs.environment]) {
      problems.add(file, "frontmatter.environment", `no environment "${refs.environment}" (expected environments/${refs.environment}.yaml)`);
    }
    refs.vaults.forEach((v, i) => {
      if (!spec.vaults[v]) problems.add(file, `frontmatter.vaults[${i}]`, `no vault "${v}" (expected vaults/${v}.yaml)`);
    });
    refs.memory_stores.forEach((m, i) => {
      if (!spec.memoryStores[m]) problems.add(file, `frontmatter.memory_stores[${i}]`, `no memory store "${m}" (expected memory-stores/${m}.yaml)`);
    });
    if (ok && names.ok(args.name, file, problems)) spec.agents[name] = agent;
  }
}
