// The bad input catalogue through the CLI. The whole local catalogue (40-odd inputs the provider
// refuses without the API) runs in test/unit/provider-bad-input.test.ts, through the same check
// path the dynamic-provider host runs; Pulumi v3.274 stops a preview at the first failed check,
// so here each kind gets one local case, enough to show how the CLI reports a failed check
// (`resource '<name>': property <path> ... has a problem: <rule>`) and that the emulator saw no
// request. The cases only the API can refuse run one `up` each and must leave nothing behind.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { inventory } from "../../testkit/inventory";
import type { ResourceSpec, ResourceType } from "../../testkit/resource-specs";
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

const ID = (prefix: string) => `${prefix}_${"0".repeat(31)}1`;
const agent = (name: string, extra: Record<string, unknown>): ResourceSpec => ({ type: "Agent", name, args: { name, model: "ultimate", ...extra } });

/** The lines Pulumi printed about one resource (its check failure or its create error). */
function linesAbout(r: OpResult, name: string): string {
  const text = `${r.error ?? ""}\n${r.stderr ?? ""}\n${r.log}`;
  return [...new Set(text.split("\n").filter((l) => l.includes(`(${name})`) || l.includes(` ${name} `) || l.includes(`'${name}'`)))].join("\n");
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

interface LocalCase {
  resource: ResourceSpec;
  /** The property path Pulumi names, and the rule (a regex source) its reason must state. */
  property: string;
  rule: string;
}

function noSkillMdDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "qoder-noskill-"));
  fs.writeFileSync(path.join(dir, "README.md"), "no SKILL.md here");
  dirs.push(dir);
  return dir;
}

/** One per kind, each a different kind of rule: schema, cross-field, file system, secret input. */
const perKind = (): Record<ResourceType, LocalCase> => ({
  Agent: { resource: agent("a-mcpgithub", { tools: [{ type: "mcp_toolset", mcpServerName: "github" }] }), property: "tools[0].mcpServerName", rule: 'names no server in mcpServers \\("github"\\)' },
  Environment: {
    resource: { type: "Environment", name: "e-scheme", args: { name: "e", config: { networking: { type: "allowed_hosts", allowedHosts: ["api.example.com", "https://x.com"] } } } },
    property: "config.networking.allowedHosts[1]",
    rule: "must be a bare hostname",
  },
  Skill: { resource: { type: "Skill", name: "s-noskill", args: { source: noSkillMdDir() } }, property: "source", rule: ".* has no SKILL\\.md" },
  Vault: { resource: { type: "Vault", name: "v-token", args: { displayName: "v", credentials: [{ mcpServerUrl: "https://mcp.example.com", token: "" }] } }, property: "credentials[0].token", rule: "token must not be empty" },
  VaultCredential: { resource: { type: "VaultCredential", name: "c-vault", args: { mcpServerUrl: "https://mcp.example.com", token: "t", vaultId: "vault-1" } }, property: "vaultId", rule: "must be a vault_ id" },
  MemoryStore: { resource: { type: "MemoryStore", name: "m-desc", args: { name: "m", description: "" } }, property: "description", rule: "a memory store needs a non-empty description" },
  Memory: { resource: { type: "Memory", name: "mem-path", args: { storeId: `memstore_${"0".repeat(32)}`, path: "/notes/a.md", content: "x" } }, property: "path", rule: 'must be relative \\(no leading "/"\\)' },
});

const LOCAL = Object.entries(perKind()).map(([type, c]) => ({ type, ...c }));
let local: TestStack;
/** Shared by the API-side cases that need no settings of their own (a failed create leaves an empty stack). */
let remote: TestStack;
beforeAll(async () => {
  [local, remote] = await Promise.all([newStack("bad-local"), newStack("bad-remote")]);
});

test.each(LOCAL)("local case, $type: the preview names the resource, property and rule, with no API call", async (c) => {
  const before = (await suite.emu.stats()).total;
  local.setArgs({ resources: [c.resource] });
  const r = await local.run("preview");
  expect(r.ok).toBe(false);
  const p = escape(c.property);
  expect(linesAbout(r, c.resource.name)).toMatch(new RegExp(`resource '${escape(c.resource.name)}': property ${p} .*has a problem: ${p}: ${c.rule}`));
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
  { what: "unknown model", resources: [agent("r-model", { model: "gpt-nine" })], error: /property model .*has a problem: model: "gpt-nine" is not a model this account may use; valid ids: [^\n]*ultimate/ },
  { what: "agent skill ref missing", resources: [agent("r-skill", { skills: [ID("skill")] })], error: /400 invalid_request_error: Skill '.*' was not found.*skills\[0\]/ },
  { what: "credential in a missing vault", resources: [{ type: "VaultCredential", name: "r-vault", args: { vaultId: ID("vault"), mcpServerUrl: "https://mcp.example.com", token: "t" } }], error: /qoder VaultCredential: create failed: 404 not_found_error/ },
  { what: "memory in a missing store", resources: [{ type: "Memory", name: "r-store", args: { storeId: ID("memstore"), path: "a.md", content: "c" } }], error: /qoder Memory: create failed: 404 not_found_error/ },
];

test.each(remoteCases)("API-side case: $what fails clearly and leaves nothing behind", async (c) => {
  const own = c.token !== undefined || c.env !== undefined;
  const stack = own ? await newStack(`bad-${c.resources[0].name}`, c.token === undefined, c.env) : remote;
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
