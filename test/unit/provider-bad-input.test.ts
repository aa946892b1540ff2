// The bad input catalogue: every input the provider can refuse without the API, run through the
// real check path as the dynamic-provider host runs it. The program side is the real resource
// class (under Pulumi's mocks, which hand over the inputs it registers, `__provider` included);
// the provider side is that `__provider` text loaded the host's way (`require-from-string`, then
// `configure` with the stack config, then `check(olds, news)`). Each case must fail on the
// property it names, with a reason naming the rule, and check must send nothing: the context
// points at a local server that counts requests, and works without a token.
//
// test/e2e/bad-input.test.ts keeps one case per kind through the CLI (how Pulumi renders the
// failure, and that the emulator saw no request) and the cases only the API can refuse.
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import { randomBytes } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import * as qoder from "../../provider";
import type { CheckResult } from "../../provider/engine";
import { makeSkillDir, type ResourceSpec, type ResourceType } from "../../testkit/resource-specs";
import { useFakeServer } from "./sdk-fake-server";

interface Case {
  what: string;
  resource: ResourceSpec;
  /** The failure's property, as Pulumi prints it after "property". */
  property: string;
  /** Must match that failure's reason (the field path and the rule). */
  error: RegExp;
}

const ID = (prefix: string) => `${prefix}_${"0".repeat(31)}1`;
const agent = (name: string, extra: Record<string, unknown>): ResourceSpec => ({ type: "Agent", name, args: { name, model: "ultimate", ...extra } });
const env = (name: string, config: unknown): ResourceSpec => ({ type: "Environment", name, args: { name, config } });
const hosts = (allowedHosts: unknown) => ({ networking: { type: "allowed_hosts", allowedHosts } });
const many = <T>(n: number, f: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => f(i));

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function skillDirs() {
  const noSkillMd = fs.mkdtempSync(path.join(os.tmpdir(), "qoder-noskill-"));
  fs.writeFileSync(path.join(noSkillMd, "README.md"), "no SKILL.md here");
  const huge = makeSkillDir("huge", "Too big.");
  fs.writeFileSync(path.join(huge, "blob.bin"), randomBytes(3_300_000)); // base64 of it > 4 MB
  dirs.push(noSkillMd, huge);
  return { noSkillMd, huge };
}

function localCases(): Case[] {
  const { noSkillMd, huge } = skillDirs();
  const cred = { mcpServerUrl: "https://mcp.example.com", token: "t" };
  return [
    { what: "agent name empty", resource: agent("a-name-empty", { name: "" }), property: "name", error: /name: .*(at least 1|>=1)/i },
    { what: "agent name over 256", resource: agent("a-name-long", { name: "n".repeat(257) }), property: "name", error: /name: .*(at most 256|<=256)/i },
    { what: "agent system over 100 000", resource: agent("a-system", { system: "s".repeat(100_001) }), property: "system", error: /system: .*(at most 100000|<=100000)/i },
    { what: "agent description over 2048", resource: agent("a-desc", { description: "d".repeat(2049) }), property: "description", error: /description: .*(at most 2048|<=2048)/i },
    { what: "agent model effort not in enum", resource: agent("a-effort", { model: { id: "ultimate", effort: "extreme" } }), property: "model.effort", error: /model/ },
    { what: "agent over 128 tools", resource: agent("a-tools", { tools: many(129, () => ({ type: "agent_toolset_20260401" })) }), property: "tools", error: /tools: an agent has at most 128 tools/ },
    { what: "agent tool type unknown", resource: agent("a-tooltype", { tools: [{ type: "shell" }] }), property: "tools[0].type", error: /tools\[0\]\.type/ },
    {
      what: "agent custom tool bad name",
      resource: agent("a-toolname", { tools: [{ type: "custom", name: "has space", description: "d", inputSchema: {} }] }),
      property: "tools[0].name",
      error: /tools\[0\]\.name: must be 1-128 characters/,
    },
    {
      what: "agent MCP server URL not a URL",
      resource: agent("a-mcpurl", { mcpServers: [{ name: "m", url: "not a url" }], tools: [{ type: "mcp_toolset", mcpServerName: "m" }] }),
      property: "mcpServers[0].url",
      error: /mcpServers\[0\]\.url: must be an absolute URL/,
    },
    { what: "agent MCP server unused", resource: agent("a-mcpunused", { mcpServers: [{ name: "m", url: "https://mcp.example.com" }] }), property: "mcpServers[0]", error: /mcpServers\[0\]: server "m" is not used/ },
    { what: "agent toolset names a missing server", resource: agent("a-mcpmissing", { tools: [{ type: "mcp_toolset", mcpServerName: "ghost" }] }), property: "tools[0].mcpServerName", error: /tools\[0\]\.mcpServerName: names no server/ },
    {
      what: "agent toolset names a missing server, naming it",
      resource: agent("a-mcpgithub", { tools: [{ type: "mcp_toolset", mcpServerName: "github" }] }),
      property: "tools[0].mcpServerName",
      error: /^tools\[0\]\.mcpServerName: names no server in mcpServers \("github"\)/,
    },
    { what: "agent over 20 skills", resource: agent("a-skills", { skills: many(21, (i) => ID("skill").slice(0, -2) + String(i).padStart(2, "0")) }), property: "skills", error: /skills: an agent has at most 20 skills/ },
    { what: "agent metadata over 16 keys", resource: agent("a-meta-keys", { metadata: Object.fromEntries(many(17, (i) => [`k${i}`, "v"] as const)) }), property: "metadata", error: /^metadata: metadata holds at most 16 keys/ },
    { what: "agent metadata key over 64", resource: agent("a-meta-key", { metadata: { ["k".repeat(65)]: "v" } }), property: `metadata.${"k".repeat(65)}`, error: /metadata.*keys are at most 64 characters/ },
    { what: "agent metadata value over 512", resource: agent("a-meta-val", { metadata: { k: "v".repeat(513) } }), property: "metadata.k", error: /metadata\.k: metadata values are at most 512 characters/ },
    { what: "agent deletionPolicy not in enum", resource: agent("a-policy", { deletionPolicy: "shred" }), property: "deletionPolicy", error: /deletionPolicy: / },
    { what: "agent adoptId malformed", resource: agent("a-adopt", { adoptId: "agent-42" }), property: "adoptId", error: /adoptId: must be a agent_ id/ },
    {
      what: "agent body over 4 MB",
      resource: agent("a-body", { tools: [{ type: "custom", name: "big", description: "d", inputSchema: { blob: "x".repeat(4_300_000) } }] }),
      property: "tools",
      error: /tools: the request would be 4\.\d MB .*Qoder refuses bodies over 4 MB/,
    },
    { what: "agent unknown field", resource: agent("a-unknown", { instructions: "x" }), property: "(inputs)", error: /instructions|[Uu]nrecognized key/ },
    { what: "environment host with scheme", resource: env("e-scheme", hosts(["https://api.example.com"])), property: "config.networking.allowedHosts[0]", error: /config\.networking\.allowedHosts\[0\]: must be a bare hostname/ },
    {
      what: "environment host with scheme, after a good one",
      resource: env("e-scheme-2nd", hosts(["api.example.com", "https://x.com"])),
      property: "config.networking.allowedHosts[1]",
      error: /^config\.networking\.allowedHosts\[1\]: must be a bare hostname/,
    },
    { what: "environment host with port", resource: env("e-port", hosts(["api.example.com:8443"])), property: "config.networking.allowedHosts[0]", error: /config\.networking\.allowedHosts\[0\]: must be a bare hostname/ },
    { what: "environment host with path", resource: env("e-path", hosts(["api.example.com/v1"])), property: "config.networking.allowedHosts[0]", error: /config\.networking\.allowedHosts\[0\]: must be a bare hostname/ },
    { what: "environment allowed_hosts empty", resource: env("e-empty", hosts([])), property: "config.networking.allowedHosts", error: /config\.networking\.allowedHosts: allowed_hosts networking needs at least one host/ },
    { what: "environment networking type unknown", resource: env("e-nettype", { networking: { type: "open" } }), property: "config.networking.type", error: /config\.networking\.type/ },
    { what: "environment type not in enum", resource: env("e-type", { type: "on_prem" }), property: "config.type", error: /config\.type/ },
    { what: "skill source missing", resource: { type: "Skill", name: "s-missing", args: { source: "/nonexistent/skill" } }, property: "source", error: /source: directory \/nonexistent\/skill does not exist/ },
    { what: "skill source without SKILL.md", resource: { type: "Skill", name: "s-noskill", args: { source: noSkillMd } }, property: "source", error: /source: .* has no SKILL\.md/ },
    { what: "skill name not lowercase", resource: { type: "Skill", name: "s-name", args: { source: huge, name: "Bad Name" } }, property: "name", error: /name: must be lowercase/ },
    { what: "skill body over 4 MB", resource: { type: "Skill", name: "s-huge", args: { source: huge } }, property: "source", error: /source: zipped skill is 3\.\d+ MB; over .* 4 MB request limit/ },
    { what: "vault displayName empty", resource: { type: "Vault", name: "v-name", args: { displayName: "" } }, property: "displayName", error: /displayName: / },
    {
      what: "vault credential URL not http(s)",
      resource: { type: "Vault", name: "v-url", args: { displayName: "v", credentials: [{ ...cred, mcpServerUrl: "ftp://mcp.example.com" }] } },
      property: "credentials[0].mcpServerUrl",
      error: /credentials\[0\]\.mcpServerUrl: must be an http\(s\) URL/,
    },
    {
      what: "vault credential token empty",
      resource: { type: "Vault", name: "v-token", args: { displayName: "v", credentials: [{ ...cred, token: "" }] } },
      property: "credentials[0].token",
      error: /credentials\[0\]\.token: token must not be empty/,
    },
    {
      what: "vault duplicate credential URL",
      resource: { type: "Vault", name: "v-dup", args: { displayName: "v", credentials: [cred, cred] } },
      property: "credentials[1].mcpServerUrl",
      error: /credentials\[1\]\.mcpServerUrl: duplicate credential/,
    },
    { what: "vault credential vaultId malformed", resource: { type: "VaultCredential", name: "c-vault", args: { ...cred, vaultId: "vault-1" } }, property: "vaultId", error: /vaultId: must be a vault_ id/ },
    { what: "vault credential protocol not in enum", resource: { type: "VaultCredential", name: "c-proto", args: { ...cred, vaultId: ID("vault"), protocol: "websocket" } }, property: "protocol", error: /protocol: / },
    {
      what: "memory store description empty",
      resource: { type: "MemoryStore", name: "m-desc", args: { name: "m", description: "" } },
      property: "description",
      error: /description: a memory store needs a non-empty description/,
    },
    { what: "memory store name over 255", resource: { type: "MemoryStore", name: "m-name", args: { name: "m".repeat(256), description: "d" } }, property: "name", error: /name: / },
    { what: "memory path absolute", resource: { type: "Memory", name: "mem-path", args: { storeId: ID("memstore"), path: "/abs.md", content: "c" } }, property: "path", error: /path: must be relative/ },
    {
      what: "memory path absolute, naming the rule",
      resource: { type: "Memory", name: "mem-path-rule", args: { storeId: `memstore_${"0".repeat(32)}`, path: "/notes/a.md", content: "x" } },
      property: "path",
      error: /^path: must be relative \(no leading "\/"\)/,
    },
    {
      what: "memory content over 100 KB",
      resource: { type: "Memory", name: "mem-big", args: { storeId: ID("memstore"), path: "big.md", content: "c".repeat(102_401) } },
      property: "content",
      error: /content: must be at most 102400 bytes/,
    },
    { what: "memory storeId malformed", resource: { type: "Memory", name: "mem-store", args: { storeId: "store-1", path: "a.md", content: "c" } }, property: "storeId", error: /storeId: must be a memstore_ id/ },
    {
      what: "memory deletionPolicy archive",
      resource: { type: "Memory", name: "mem-policy", args: { storeId: ID("memstore"), path: "a.md", content: "c", deletionPolicy: "archive" } },
      property: "deletionPolicy",
      error: /deletionPolicy: memories cannot be archived/,
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// The program side: the real resource classes, under Pulumi's mocks.

type Construct = (name: string, args: Record<string, unknown>) => void;
const CLASSES: Record<ResourceType, Construct> = {
  Agent: (n, a) => void new qoder.Agent(n, a as qoder.AgentArgs),
  Environment: (n, a) => void new qoder.Environment(n, a as qoder.EnvironmentArgs),
  Skill: (n, a) => void new qoder.Skill(n, a as qoder.SkillArgs),
  Vault: (n, a) => void new qoder.Vault(n, a as qoder.VaultArgs),
  VaultCredential: (n, a) => void new qoder.VaultCredential(n, a as qoder.VaultCredentialArgs),
  MemoryStore: (n, a) => void new qoder.MemoryStore(n, a as qoder.MemoryStoreArgs),
  Memory: (n, a) => void new qoder.Memory(n, a as qoder.MemoryArgs),
};

type Props = Record<string, unknown>;
const registered = new Map<string, (inputs: Props) => void>();

pulumi.runtime.setMocks(
  {
    newResource: (r) => {
      registered.get(r.name)?.(r.inputs as Props);
      return { id: `${r.name}_id`, state: r.inputs as Props };
    },
    call: () => ({}),
  },
  "bad-input",
  "unit",
  true, // a preview: where Pulumi runs check before anything else
);

/** The inputs the resource class registers, as the engine hands them to a provider that does not accept secrets. */
async function registeredInputs(spec: ResourceSpec): Promise<Props> {
  const inputs = new Promise<Props>((resolve) => registered.set(spec.name, resolve));
  CLASSES[spec.type](spec.name, spec.args);
  return unwrapSecrets(await inputs) as Props;
}

const SECRET = { key: pulumi.runtime.specialSigKey, sig: pulumi.runtime.specialSecretSig };
function unwrapSecrets(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(unwrapSecrets);
  if (v === null || typeof v !== "object") return v;
  const o = v as Props;
  if (o[SECRET.key] === SECRET.sig) return unwrapSecrets(o.value);
  return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, unwrapSecrets(x)]));
}

// ---------------------------------------------------------------------------------------------
// The provider side, as @pulumi/pulumi/cmd/dynamic-provider runs it: one provider per
// `__provider` text, loaded with require-from-string and configured once with the stack config.

const fromPulumi = createRequire(require.resolve("@pulumi/pulumi/package.json"));
const requireFromString = fromPulumi("require-from-string") as (code: string) => { handler(): pulumi.dynamic.ResourceProvider };
const { Config } = fromPulumi("@pulumi/pulumi/cmd/dynamic-provider/config") as { Config: new (raw: Record<string, string>, project: string) => pulumi.dynamic.Config };

async function hostCheck(inputs: Props, config: Record<string, string>): Promise<CheckResult> {
  const text = inputs.__provider;
  if (typeof text !== "string") throw new Error(`no serialized __provider among ${Object.keys(inputs).join(", ")}`);
  const provider = requireFromString(text).handler();
  await provider.configure?.({ config: new Config(config, "bad-input") });
  if (!provider.check) throw new Error("the serialized provider has no check");
  return (await provider.check({}, inputs)) as CheckResult;
}

/** The failure a case is about: on its property, with a reason that names the path and rule. */
function expectCaseFailure(c: Case, r: CheckResult): void {
  const failures = r.failures ?? [];
  const mine = failures.find((f) => f.property === c.property && c.error.test(f.reason));
  if (!mine) throw new Error(`${c.what}: no failure on ${c.property} matching ${c.error}; got ${JSON.stringify(failures)}`);
  expect(mine.reason.startsWith(`${c.property}: `)).toBe(true);
}

const server = useFakeServer(); // any request check sent would land here
const LOCAL = localCases();
const inputsOf = new Map<string, Props>();
const saved: Record<string, string | undefined> = {};
beforeAll(async () => {
  for (const k of ["QODER_PAT", "QODER_BASE_URL", "QODER_REGION"]) {
    saved[k] = process.env[k];
    delete process.env[k];
  }
  for (const c of LOCAL) inputsOf.set(c.resource.name, await registeredInputs(c.resource));
});
afterAll(() => {
  for (const [k, v] of Object.entries(saved)) if (v !== undefined) process.env[k] = v;
});

test("the catalogue holds at least 30 local cases, one resource name each", () => {
  expect(LOCAL.length).toBeGreaterThanOrEqual(30);
  expect(new Set(LOCAL.map((c) => c.resource.name)).size).toBe(LOCAL.length);
  expect(new Set(LOCAL.map((c) => c.resource.type))).toEqual(new Set(Object.keys(CLASSES)));
});

test.each(LOCAL)("local case: $what fails check on its property, with no request", async (c) => {
  const r = await hostCheck(inputsOf.get(c.resource.name)!, { "qoder:token": "pt-check-never-sends", "qoder:baseUrl": `${server.url}/api/v1/cloud` });
  expectCaseFailure(c, r);
  expect(server.requests).toEqual([]);
});

test("without any token, every case fails check the same way: check needs no client", async () => {
  for (const c of LOCAL) expectCaseFailure(c, await hostCheck(inputsOf.get(c.resource.name)!, {}));
  expect(server.requests).toEqual([]);
});

test("the same path accepts a valid input of every kind, without a token", async () => {
  const valid: ResourceSpec[] = [
    agent("ok-agent", {}),
    env("ok-env", hosts(["api.example.com"])),
    { type: "Skill", name: "ok-skill", args: { source: makeSkillDir("ok", "Fine.") } },
    { type: "Vault", name: "ok-vault", args: { displayName: "v", credentials: [{ mcpServerUrl: "https://mcp.example.com", token: "t" }] } },
    { type: "VaultCredential", name: "ok-cred", args: { vaultId: ID("vault"), mcpServerUrl: "https://mcp.example.com", token: "t" } },
    { type: "MemoryStore", name: "ok-store", args: { name: "m", description: "d" } },
    { type: "Memory", name: "ok-mem", args: { storeId: ID("memstore"), path: "a.md", content: "c" } },
  ];
  dirs.push(String(valid[2].args.source));
  for (const spec of valid) {
    const r = await hostCheck(await registeredInputs(spec), {});
    expect({ name: spec.name, failures: r.failures }).toEqual({ name: spec.name, failures: undefined });
    expect(r.inputs.__createKey).toBe(`bad-input/unit/${spec.type[0].toLowerCase()}${spec.type.slice(1)}/${spec.name}`);
  }
  expect(server.requests).toEqual([]);
});
