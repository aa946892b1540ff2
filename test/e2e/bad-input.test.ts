// The bad input catalogue: every case must fail with an error that names the resource, the field
// path and the rule, and leave no object behind. What can be checked locally is caught by
// `preview` before any API call; the rest need the API and run one `up` each. Pulumi v3.274
// stops a preview at the first failed check, so each local case gets its own preview, on one
// stack per program made in beforeAll (a failed preview changes nothing).
import * as fs from "node:fs";
import * as path from "node:path";
import { randomBytes } from "node:crypto";
import type { KindsArgs } from "./programs/kinds";
import { inventory } from "../../testkit/inventory";
import { makeSkillDir, type ResourceSpec } from "../../testkit/resource-specs";
import type { OpResult, TestStack } from "../../testkit/stack";
import { useStacks } from "../../testkit/stacks";

const suite = useStacks("reliability");
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** No retries: the API-side cases fail at once instead of backing off. */
const newStack = (name: string, token = true, env: Record<string, string> = {}) =>
  suite.newStack(name, { env: { QODER_MAX_RETRIES: "0", ...env }, token });

interface Case {
  what: string;
  resource: ResourceSpec;
  /** Must appear in the error reported for this resource (the field path and the rule). */
  error: RegExp;
}

const ID = (prefix: string) => `${prefix}_${"0".repeat(31)}1`;
const agent = (name: string, extra: Record<string, unknown>): ResourceSpec => ({ type: "Agent", name, args: { name, model: "ultimate", ...extra } });
const env = (name: string, config: unknown): ResourceSpec => ({ type: "Environment", name, args: { name, config } });
const hosts = (allowedHosts: unknown) => ({ networking: { type: "allowed_hosts", allowedHosts } });
const many = <T>(n: number, f: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => f(i));

function skillDirs() {
  const noSkillMd = fs.mkdtempSync(path.join(require("node:os").tmpdir(), "qoder-noskill-"));
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
    { what: "agent name empty", resource: agent("a-name-empty", { name: "" }), error: /name: .*(at least 1|>=1)/i },
    { what: "agent name over 256", resource: agent("a-name-long", { name: "n".repeat(257) }), error: /name: .*(at most 256|<=256)/i },
    { what: "agent system over 100 000", resource: agent("a-system", { system: "s".repeat(100_001) }), error: /system: .*(at most 100000|<=100000)/i },
    { what: "agent description over 2048", resource: agent("a-desc", { description: "d".repeat(2049) }), error: /description: .*(at most 2048|<=2048)/i },
    { what: "agent model effort not in enum", resource: agent("a-effort", { model: { id: "ultimate", effort: "extreme" } }), error: /model/ },
    { what: "agent over 128 tools", resource: agent("a-tools", { tools: many(129, () => ({ type: "agent_toolset_20260401" })) }), error: /tools: an agent has at most 128 tools/ },
    { what: "agent tool type unknown", resource: agent("a-tooltype", { tools: [{ type: "shell" }] }), error: /tools\[0\]\.type/ },
    { what: "agent custom tool bad name", resource: agent("a-toolname", { tools: [{ type: "custom", name: "has space", description: "d", inputSchema: {} }] }), error: /tools\[0\]\.name: must be 1-128 characters/ },
    { what: "agent MCP server URL not a URL", resource: agent("a-mcpurl", { mcpServers: [{ name: "m", url: "not a url" }], tools: [{ type: "mcp_toolset", mcpServerName: "m" }] }), error: /mcpServers\[0\]\.url: must be an absolute URL/ },
    { what: "agent MCP server unused", resource: agent("a-mcpunused", { mcpServers: [{ name: "m", url: "https://mcp.example.com" }] }), error: /mcpServers\[0\]: server "m" is not used/ },
    { what: "agent toolset names a missing server", resource: agent("a-mcpmissing", { tools: [{ type: "mcp_toolset", mcpServerName: "ghost" }] }), error: /tools\[0\]\.mcpServerName: names no server/ },
    { what: "agent over 20 skills", resource: agent("a-skills", { skills: many(21, (i) => ID("skill").slice(0, -2) + String(i).padStart(2, "0")) }), error: /skills: an agent has at most 20 skills/ },
    { what: "agent metadata over 16 keys", resource: agent("a-meta-keys", { metadata: Object.fromEntries(many(17, (i) => [`k${i}`, "v"] as const)) }), error: /metadata: metadata holds at most 16 keys/ },
    { what: "agent metadata key over 64", resource: agent("a-meta-key", { metadata: { ["k".repeat(65)]: "v" } }), error: /metadata.*keys are at most 64 characters/ },
    { what: "agent metadata value over 512", resource: agent("a-meta-val", { metadata: { k: "v".repeat(513) } }), error: /metadata\.k: metadata values are at most 512 characters/ },
    { what: "agent deletionPolicy not in enum", resource: agent("a-policy", { deletionPolicy: "shred" }), error: /deletionPolicy: / },
    { what: "agent adoptId malformed", resource: agent("a-adopt", { adoptId: "agent-42" }), error: /adoptId: must be a agent_ id/ },
    { what: "agent body over 4 MB", resource: agent("a-body", { tools: [{ type: "custom", name: "big", description: "d", inputSchema: { blob: "x".repeat(4_300_000) } }] }), error: /tools: the request would be 4\.\d MB .*Qoder refuses bodies over 4 MB/ },
    { what: "agent unknown field", resource: agent("a-unknown", { instructions: "x" }), error: /instructions|[Uu]nrecognized key/ },
    { what: "environment host with scheme", resource: env("e-scheme", hosts(["https://api.example.com"])), error: /config\.networking\.allowedHosts\[0\]: must be a bare hostname/ },
    { what: "environment host with port", resource: env("e-port", hosts(["api.example.com:8443"])), error: /config\.networking\.allowedHosts\[0\]: must be a bare hostname/ },
    { what: "environment host with path", resource: env("e-path", hosts(["api.example.com/v1"])), error: /config\.networking\.allowedHosts\[0\]: must be a bare hostname/ },
    { what: "environment allowed_hosts empty", resource: env("e-empty", hosts([])), error: /config\.networking\.allowedHosts: allowed_hosts networking needs at least one host/ },
    { what: "environment networking type unknown", resource: env("e-nettype", { networking: { type: "open" } }), error: /config\.networking\.type/ },
    { what: "environment type not in enum", resource: env("e-type", { type: "on_prem" }), error: /config\.type/ },
    { what: "skill source missing", resource: { type: "Skill", name: "s-missing", args: { source: "/nonexistent/skill" } }, error: /source: directory \/nonexistent\/skill does not exist/ },
    { what: "skill source without SKILL.md", resource: { type: "Skill", name: "s-noskill", args: { source: noSkillMd } }, error: /source: .* has no SKILL\.md/ },
    { what: "skill name not lowercase", resource: { type: "Skill", name: "s-name", args: { source: huge, name: "Bad Name" } }, error: /name: must be lowercase/ },
    { what: "skill body over 4 MB", resource: { type: "Skill", name: "s-huge", args: { source: huge } }, error: /source: zipped skill is 3\.\d+ MB; over .* 4 MB request limit/ },
    { what: "vault displayName empty", resource: { type: "Vault", name: "v-name", args: { displayName: "" } }, error: /displayName: / },
    { what: "vault credential URL not http(s)", resource: { type: "Vault", name: "v-url", args: { displayName: "v", credentials: [{ ...cred, mcpServerUrl: "ftp://mcp.example.com" }] } }, error: /credentials\[0\]\.mcpServerUrl: must be an http\(s\) URL/ },
    { what: "vault credential token empty", resource: { type: "Vault", name: "v-token", args: { displayName: "v", credentials: [{ ...cred, token: "" }] } }, error: /credentials\[0\]\.token: token must not be empty/ },
    { what: "vault duplicate credential URL", resource: { type: "Vault", name: "v-dup", args: { displayName: "v", credentials: [cred, cred] } }, error: /credentials\[1\]\.mcpServerUrl: duplicate credential/ },
    { what: "vault credential vaultId malformed", resource: { type: "VaultCredential", name: "c-vault", args: { ...cred, vaultId: "vault-1" } }, error: /vaultId: must be a vault_ id/ },
    { what: "vault credential protocol not in enum", resource: { type: "VaultCredential", name: "c-proto", args: { ...cred, vaultId: ID("vault"), protocol: "websocket" } }, error: /protocol: / },
    { what: "memory store description empty", resource: { type: "MemoryStore", name: "m-desc", args: { name: "m", description: "" } }, error: /description: a memory store needs a non-empty description/ },
    { what: "memory store name over 255", resource: { type: "MemoryStore", name: "m-name", args: { name: "m".repeat(256), description: "d" } }, error: /name: / },
    { what: "memory path absolute", resource: { type: "Memory", name: "mem-path", args: { storeId: ID("memstore"), path: "/abs.md", content: "c" } }, error: /path: must be relative/ },
    { what: "memory content over 100 KB", resource: { type: "Memory", name: "mem-big", args: { storeId: ID("memstore"), path: "big.md", content: "c".repeat(102_401) } }, error: /content: must be at most 102400 bytes/ },
    { what: "memory storeId malformed", resource: { type: "Memory", name: "mem-store", args: { storeId: "store-1", path: "a.md", content: "c" } }, error: /storeId: must be a memstore_ id/ },
    { what: "memory deletionPolicy archive", resource: { type: "Memory", name: "mem-policy", args: { storeId: ID("memstore"), path: "a.md", content: "c", deletionPolicy: "archive" } }, error: /deletionPolicy: memories cannot be archived/ },
  ];
}

/** The lines Pulumi printed about one resource (its check failure or its create error). */
function linesAbout(r: OpResult, name: string): string {
  const text = `${r.error ?? ""}\n${r.stderr ?? ""}\n${r.log}`;
  return [...new Set(text.split("\n").filter((l) => l.includes(`(${name})`) || l.includes(` ${name} `) || l.includes(`'${name}'`)))].join("\n");
}

const LOCAL = localCases();
let local: TestStack;
let kinds: TestStack;
beforeAll(async () => {
  local = await newStack("bad-local");
  kinds = await suite.newStack("bad-kinds", { program: "kinds" });
});

test("the catalogue holds at least 30 local cases", () => {
  expect(LOCAL.length).toBeGreaterThanOrEqual(30);
});

// The same rules through the `kinds` program: the message says "resource 'bad'" and the property.
const tooMany = Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, "v"]));
const kindsCases: Array<[string, KindsArgs, RegExp]> = [
  ["metadata with 17 keys", { agents: { bad: { name: "a", model: "ultimate", metadata: tooMany } } }, /property metadata .* has a problem: metadata: metadata holds at most 16 keys/],
  [
    "an mcp_toolset naming a missing server",
    { agents: { bad: { name: "b", model: "ultimate", tools: [{ type: "mcp_toolset", mcpServerName: "github" }] } } },
    /has a problem: tools\[0\]\.mcpServerName: names no server in mcpServers \("github"\)/,
  ],
  [
    "a URL where allowedHosts wants a bare host",
    { environments: { bad: { name: "e", config: { networking: { type: "allowed_hosts", allowedHosts: ["api.example.com", "https://x.com"] } } } } },
    /has a problem: config\.networking\.allowedHosts\[1\]: must be a bare hostname/,
  ],
  ["an absolute memory path", { memories: { bad: { storeId: `memstore_${"0".repeat(32)}`, path: "/notes/a.md", content: "x" } } }, /has a problem: path: must be relative \(no leading "\/"\)/],
  ["a name over 256 characters", { agents: { bad: { name: "n".repeat(257), model: "ultimate" } } }, /has a problem: name: .*256/],
];

test.each(kindsCases)("%s fails in preview, naming the property, with no API call", async (_what, args, message) => {
  kinds.setArgs(args);
  await suite.emu.resetStats();
  const r = await kinds.run("preview");
  expect(r.ok).toBe(false);
  const lines = `${r.error}\n${r.stderr ?? ""}\n${r.log}`.split("\n").filter((l) => l.includes("resource 'bad'"));
  expect(lines.find((l) => message.test(l))).toEqual(expect.any(String));
  expect((await suite.emu.stats()).total).toBe(0);
});

test.each(LOCAL)("local case: $what is caught by preview, before any API call", async (c) => {
  const before = (await suite.emu.stats()).total;
  local.setArgs({ resources: [c.resource] });
  const r = await local.run("preview");
  expect(r.ok).toBe(false);
  expect(linesAbout(r, c.resource.name)).toMatch(c.error);
  expect((await suite.emu.stats()).total).toBe(before);
});

interface RemoteCase {
  what: string;
  resources: ResourceSpec[];
  env?: Record<string, string>;
  /** The `qoder:token` to configure; default: the emulator's; `null`: none at all. */
  token?: string | null;
  faults?: Record<string, unknown>;
  error: RegExp;
  /** Caught by the client before sending: not a single request reaches the API. */
  noCalls?: boolean;
}

const remoteCases: RemoteCase[] = [
  { what: "wrong token", resources: [agent("r-token", {})], token: "pt-wrong-token", error: /qoder Agent: create failed: 401 authentication_error/ },
  { what: "no token at all", resources: [agent("r-notoken", {})], token: null, noCalls: true, error: /No Qoder token: set the secret stack config `pulumi config set --secret qoder:token/ },
  { what: "unreachable base URL", resources: [agent("r-url", {})], env: { QODER_BASE_URL: "http://127.0.0.1:9/api/v1/cloud" }, error: /qoder Agent: create failed: POST \/agents failed: .*ECONNREFUSED/ },
  { what: "malformed response body", resources: [agent("r-malformed", {})], faults: { malformedRate: 1 }, error: /qoder Agent: create failed: .*(JSON|invalid|malformed)/i },
  { what: "unknown model", resources: [agent("r-model", { model: "gpt-nine" })], error: /qoder Agent: create failed: 400 invalid_request_error: Model 'gpt-nine' is not available.*model/ },
  { what: "agent skill ref missing", resources: [agent("r-skill", { skills: [ID("skill")] })], error: /400 invalid_request_error: Skill '.*' was not found.*skills\[0\]/ },
  { what: "credential in a missing vault", resources: [{ type: "VaultCredential", name: "r-vault", args: { vaultId: ID("vault"), mcpServerUrl: "https://mcp.example.com", token: "t" } }], error: /qoder VaultCredential: create failed: 404 not_found_error/ },
  { what: "memory in a missing store", resources: [{ type: "Memory", name: "r-store", args: { storeId: ID("memstore"), path: "a.md", content: "c" } }], error: /qoder Memory: create failed: 404 not_found_error/ },
];

test.each(remoteCases)("API-side case: $what fails clearly and leaves nothing behind", async (c) => {
  const stack = await newStack(`bad-${c.resources[0].name}`, c.token === undefined, c.env);
  if (typeof c.token === "string") await stack.ok("setConfig", { config: { "qoder:token": { value: c.token, secret: true } } });
  stack.setArgs({ resources: c.resources });
  if (c.faults) await suite.emu.setFaults(c.faults);
  const r = await stack.run("up");
  await suite.emu.setFaults({});
  expect(r.ok).toBe(false);
  expect(linesAbout(r, c.resources[0].name)).toMatch(c.error);
  if (c.noCalls) expect((await suite.emu.stats()).total).toBe(0); // before the listing below
  expect(await inventory(suite.emu)).toEqual([]);
  expect(r.raw).not.toContain(suite.emu.token);
});
