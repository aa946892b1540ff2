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
import { CaseClashes, entries, FILE_LIMITS, filesBelow, NAME, parseYamlMapping, Problems, readLimited, UniqueNames, withinLimit } from "./files";
import { AdoptIds, IDS_FILE } from "./adopt-ids";
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
  /** Fleet names of files/ entries, attached as session resources when a session starts. */
  files: string[];
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
  /** The existing memory this seed takes over (from the ids file). */
  adoptId?: string;
}
export interface FleetSpec {
  dir: string;
  agents: Record<string, AgentSpec>;
  environments: Record<string, Spec<z.input<typeof environmentSchema>>>;
  /** `adoptId`: the existing skill this folder takes over (from the ids file). */
  skills: Record<string, { dir: string; adoptId?: string }>;
  vaults: Record<string, VaultSpec>;
  memoryStores: Record<string, Spec<z.input<typeof memoryStoreSchema>> & { memories: MemorySeed[] }>;
  /** By path relative to files/: `docs/style.md`. */
  files: Record<string, { file: string; adoptId?: string }>;
}

const FOLDERS = ["agents", "environments", "skills", "vaults", "memory-stores", "files"];
const PLACEHOLDER_STORE = `memstore_${"0".repeat(32)}`;

const agentRefs = z
  .object({
    skills: z.array(z.union([z.string().min(1), z.object({ name: z.string().min(1), version: z.union([z.string().min(1), z.number().int().positive()]).optional() }).strict()])).default([]),
    environment: z.string().min(1).optional(),
    vaults: z.array(z.string().min(1)).default([]),
    memory_stores: z.array(z.string().min(1)).default([]),
    files: z.array(z.string().min(1)).default([]),
  })
  .strict();

/** Ids live in one file, keyed by path (adopt-ids.ts): a file never carries its own. */
const ADOPT_KEY = "adopt_id";
const ADOPT_KEY_RULE = `not a Fleet file key: record the id of the object to adopt in ${IDS_FILE}, keyed by this file's path`;

/** `args` plus the id the ids file records for `file`, if any. */
function withAdoptId<A extends object>(args: A, ids: AdoptIds, file: string): A & { adoptId?: string } {
  const adoptId = ids.take(file);
  return adoptId ? { ...args, adoptId } : args;
}

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
  const spec: FleetSpec = { dir: root, agents: {}, environments: {}, skills: {}, vaults: {}, memoryStores: {}, files: {} };
  const ids = AdoptIds.read(root, problems);
  readSkills(root, spec, ids, problems);
  readYamlKind(root, "environments", environmentSchema, ids, problems, (name, file, args) => (spec.environments[name] = { file, args }));
  readVaults(root, spec, ids, problems);
  readMemoryStores(root, spec, ids, problems);
  readFiles(root, spec, ids, problems);
  readAgents(root, spec, ids, problems);
  ids.reportUnused(problems);
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

function readYamlKind<S extends z.ZodType>(root: string, folder: string, schema: S, ids: AdoptIds, problems: Problems, put: (name: string, file: string, args: z.input<S>) => void) {
  const names = new UniqueNames("name", (f) => ids.has(f));
  for (const { name, file } of kindFiles(root, folder, [".yaml", ".yml"], problems, folder === "memory-stores")) {
    const text = readLimited(file, FILE_LIMITS.yaml, "a settings file", problems);
    const raw = text === undefined ? undefined : parseYamlMapping(text, file, "", problems);
    if (!raw) continue;
    if (ADOPT_KEY in raw) problems.add(file, ADOPT_KEY, ADOPT_KEY_RULE);
    const value = withAdoptId(camelKeys({ name, ...raw }), ids, file);
    const args = validArgs(schema, value, file, "", problems);
    if (args !== undefined && names.ok(value.name, file, problems)) put(name, file, args);
  }
}

function readSkills(root: string, spec: FleetSpec, ids: AdoptIds, problems: Problems) {
  const clashes = new CaseClashes();
  const names = new UniqueNames("frontmatter.name", (manifest) => ids.has(path.dirname(manifest)));
  for (const e of entries(path.join(root, "skills"))) {
    const dir = path.join(root, "skills", e.name);
    const manifest = path.join(dir, "SKILL.md");
    if (!e.isDirectory()) problems.add(dir, "", "expected a skill directory skills/<name>/ holding SKILL.md");
    else if (!NAME.test(e.name)) problems.add(dir, "", "directory name must be letters, digits, '.', '_' or '-'");
    else if (!fs.existsSync(manifest)) problems.add(manifest, "", "missing: a skill directory needs SKILL.md at its top level");
    else if (clashes.ok(e.name, dir, problems) && skillManifestOk(manifest, names, problems)) spec.skills[e.name] = withAdoptId({ dir }, ids, dir);
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

function readVaults(root: string, spec: FleetSpec, ids: AdoptIds, problems: Problems) {
  const names = new UniqueNames("display_name", (f) => ids.has(f));
  for (const { name, file } of kindFiles(root, "vaults", [".yaml", ".yml"], problems)) {
    const text = readLimited(file, FILE_LIMITS.yaml, "a settings file", problems);
    const raw = text === undefined ? undefined : parseYamlMapping(text, file, "", problems);
    if (!raw) continue;
    if (ADOPT_KEY in raw) problems.add(file, ADOPT_KEY, ADOPT_KEY_RULE);
    const args = withAdoptId(camelKeys({ display_name: name, ...raw }), ids, file);
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

function readMemoryStores(root: string, spec: FleetSpec, ids: AdoptIds, problems: Problems) {
  const folder = path.join(root, "memory-stores");
  readYamlKind(root, "memory-stores", memoryStoreSchema, ids, problems, (name, file, args) => (spec.memoryStores[name] = { file, args, memories: [] }));
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
      const seed: MemorySeed = withAdoptId({ file, path: rel, content }, ids, file);
      // The file's path is the memory's path, held to the kind's rule (a file name may hold a newline).
      if (parseWith(memorySchema, { storeId: PLACEHOLDER_STORE, path: rel, content }, file, "", problems) && store) store.memories.push(seed);
    }
  }
}

/** Every file below files/ (hidden ones skipped), by its path there; the File kind hashes it in check. */
function readFiles(root: string, spec: FleetSpec, ids: AdoptIds, problems: Problems) {
  const dir = path.join(root, "files");
  const clashes = new CaseClashes();
  for (const rel of filesBelow(dir)) {
    const file = path.join(dir, rel);
    if (!rel.split("/").every((s) => NAME.test(s))) problems.add(file, "", "file and folder names must be letters, digits, '.', '_' or '-'");
    else if (clashes.ok(rel, file, problems) && withinLimit(file, FILE_LIMITS.file, "an uploaded file", problems)) spec.files[rel] = withAdoptId({ file }, ids, file);
  }
}

/** An agent file's body as its system prompt: leading blank lines and trailing whitespace go. */
export function agentPrompt(body: string): string {
  return body.replace(/^(?:[ \t]*\r?\n)+/, "").replace(/\s+$/, "");
}

function readAgents(root: string, spec: FleetSpec, ids: AdoptIds, problems: Problems) {
  const names = new UniqueNames("frontmatter.name", (f) => ids.has(f));
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
    if (ADOPT_KEY in fm) problems.add(file, `frontmatter.${ADOPT_KEY}`, ADOPT_KEY_RULE);
    const { skills, environment, vaults, memory_stores, files, [ADOPT_KEY]: _inFile, ...rest } = fm;
    const refs = parseWith(agentRefs, { skills, environment, vaults, memory_stores, files }, file, "frontmatter", problems);
    const system = agentPrompt(body);
    const args: Record<string, unknown> = withAdoptId({ ...camelKeys({ name, ...rest }), system }, ids, file);
    // Skill ids are only known at deploy time: validate with placeholders of the same count.
    const ok = parseWith(agentSchema, { ...args, skills: (refs?.skills ?? []).map(() => "skill") }, file, "frontmatter", problems);
    if (ok) for (const p of agentKind.validate?.(ok) ?? []) problems.add(file, `frontmatter.${p.path}`, p.message);
    if (!refs) continue;

    // The schema accepted these args (with placeholder skills): they are the agent's input.
    const agent: AgentSpec = { file, args: args as Omit<AgentInput, "skills">, skills: [], environment: refs.environment, vaults: refs.vaults, memoryStores: refs.memory_stores, files: refs.files };
    refs.skills.forEach((s, i) => {
      const ref = typeof s === "string" ? { name: s } : { name: s.name, ...(s.version !== undefined ? { version: String(s.version) } : {}) };
      if (!spec.skills[ref.name] && !fs.existsSync(path.join(root, "skills", ref.name, "SKILL.md"))) problems.add(file, `frontmatter.skills[${i}]`, `no skill "${ref.name}" (expected skills/${ref.name}/SKILL.md)`);
      agent.skills.push(ref);
    });
    // A file that exists but is invalid has its own problems listed: its name is not unknown.
    const exists = (folder: string, n: string) => [".yaml", ".yml"].some((ext) => fs.existsSync(path.join(root, folder, `${n}${ext}`)));
    if (refs.environment && !spec.environments[refs.environment] && !exists("environments", refs.environment)) {
      problems.add(file, "frontmatter.environment", `no environment "${refs.environment}" (expected environments/${refs.environment}.yaml)`);
    }
    refs.vaults.forEach((v, i) => {
      if (!spec.vaults[v] && !exists("vaults", v)) problems.add(file, `frontmatter.vaults[${i}]`, `no vault "${v}" (expected vaults/${v}.yaml)`);
    });
    refs.memory_stores.forEach((m, i) => {
      if (!spec.memoryStores[m] && !exists("memory-stores", m)) problems.add(file, `frontmatter.memory_stores[${i}]`, `no memory store "${m}" (expected memory-stores/${m}.yaml)`);
    });
    refs.files.forEach((f, i) => {
      if (!spec.files[f]) problems.add(file, `frontmatter.files[${i}]`, `no file "${f}" (expected files/${f})`);
    });
    if (ok && names.ok(args.name, file, problems)) spec.agents[name] = agent;
  }
}
