// The agent kind: check (limits, enums, defaults, cross-references, unknowns), diff
// normalization, toInputs round trip and the update body.
import * as engine from "../../provider/engine";
import { UNKNOWN } from "../../provider/json";
import { agentKind as kind } from "../../provider/kinds/agent";
import { apiObject, checked, expectFailure, failuresOf, stateAfterCreate, stateOf, useApiServer } from "./provider-kind-helpers";

const program = {
  name: "reviewer",
  model: { id: "ultimate", effort: "high" },
  system: "You review pull requests.",
  tools: [
    { type: "agent_toolset_20260401", enabledTools: ["Read", "Grep"], configs: [{ name: "bash", permissionPolicy: { type: "always_allow" } }] },
    { type: "mcp_toolset", mcpServerName: "github" },
    { type: "custom", name: "lookup_user", description: "Finds a user", inputSchema: { type: "object", properties: { user_name: { type: "string" } } } },
  ],
  mcpServers: [{ name: "github", url: "https://mcp.example.com/github" }],
  skills: ["skill_0123456789abcdef0123456789abcdef", { skillId: "skill_fedcba9876543210fedcba9876543210", version: 3 }],
  metadata: { team: "platform", tier: "gold" },
};

const server = useApiServer();

/** The agent as the API returns it for `program`. */
const live = apiObject("agent", {
  name: "reviewer",
  description: "",
  model: { id: "ultimate", effort: "high" },
  system: "You review pull requests.",
  tools: [
    { type: "agent_toolset_20260401", enabled_tools: ["Read", "Grep"], configs: [{ name: "bash", permission_policy: { type: "always_allow" } }] },
    { type: "mcp_toolset", mcp_server_name: "github" },
    { type: "custom", name: "lookup_user", description: "Finds a user", input_schema: { type: "object", properties: { user_name: { type: "string" } } } },
  ],
  mcp_servers: [{ type: "url", name: "github", url: "https://mcp.example.com/github" }],
  skills: [
    { type: "custom", skill_id: "skill_0123456789abcdef0123456789abcdef" },
    { type: "custom", skill_id: "skill_fedcba9876543210fedcba9876543210", version: "3" },
  ],
  metadata: { tier: "gold", team: "platform" },
  version: 4,
  archived: false,
  archived_at: null,
});

describe("check", () => {
  test("applies the documented defaults and normalizes skill references", () => {
    expect(checked(kind, { name: "a", model: "ultimate" })).toEqual({
      name: "a",
      model: "ultimate",
      system: "",
      description: "",
      tools: [],
      mcpServers: [],
      skills: [],
      metadata: {},
      deletionPolicy: "archive",
    });
    const inputs = checked(kind, program);
    expect(inputs.skills).toEqual([
      { type: "custom", skillId: "skill_0123456789abcdef0123456789abcdef" },
      { type: "custom", skillId: "skill_fedcba9876543210fedcba9876543210", version: "3" },
    ]);
    expect(inputs.mcpServers).toEqual([{ name: "github", url: "https://mcp.example.com/github", type: "url" }]);
  });

  test.each([
    ["name", { name: "" }, /at least 1|too small|>=1/i],
    ["name", { name: "n".repeat(257) }, /256/],
    ["system", { system: "s".repeat(100_001) }, /100000/],
    ["description", { description: "d".repeat(2049) }, /2048/],
    ["tools", { tools: Array.from({ length: 129 }, () => ({ type: "agent_toolset_20260401" })) }, /at most 128 tools/],
    ["mcpServers", { mcpServers: Array.from({ length: 21 }, (_, i) => ({ name: `s${i}`, url: "https://x.example.com" })) }, /at most 20 MCP servers/],
    ["skills", { skills: Array.from({ length: 21 }, (_, i) => `skill_${String(i).padStart(32, "0")}`) }, /at most 20 skills/],
    ["metadata", { metadata: Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, "v"])) }, /at most 16 keys/],
    ["metadata.k", { metadata: { k: "v".repeat(513) } }, /512/],
    ["tools[0].type", { tools: [{ type: "bash_20250124" }] }, /invalid/i],
    ["tools[0].name", { tools: [{ type: "custom", name: "has space", description: "d", inputSchema: {} }] }, /A-Z a-z 0-9 _ -/],
    ["tools[0].configs[0].permissionPolicy.type", { tools: [{ type: "agent_toolset_20260401", configs: [{ name: "bash", permissionPolicy: { type: "sometimes" } }] }] }, /always_allow/],
    ["model.effort", { model: { id: "ultimate", effort: "extreme" } }, /xhigh/],
    ["mcpServers[0].url", { mcpServers: [{ name: "s", url: "not a url" }], tools: [{ type: "mcp_toolset", mcpServerName: "s" }] }, /URL/],
    ["deletionPolicy", { deletionPolicy: "keep" }, /archive/],
    ["adoptId", { adoptId: "ag_123" }, /agent_ id/],
  ])("%s: an invalid value is rejected on that path", (property, patch, rule) => {
    expectFailure(kind, { name: "a", model: "ultimate", ...patch }, property, rule);
  });

  test("metadata keys longer than 64 characters are rejected by key", () => {
    const key = "k".repeat(65);
    const [f] = failuresOf(kind, { name: "a", model: "m", metadata: { [key]: "v" } });
    expect(f.property).toMatch(/^metadata/);
    expect(f.reason).toMatch(/64/);
  });

  test("every mcp_toolset names a declared server and every server is used", () => {
    expectFailure(kind, { name: "a", model: "m", tools: [{ type: "mcp_toolset", mcpServerName: "gitlab" }] }, "tools[0].mcpServerName", /names no server.*gitlab/);
    expectFailure(kind, { name: "a", model: "m", mcpServers: [{ name: "github", url: "https://x.example.com" }] }, "mcpServers[0]", /not used by any mcp_toolset/);
    const dup = { name: "a", model: "m", tools: [{ type: "mcp_toolset", mcpServerName: "s" }], mcpServers: [{ name: "s", url: "https://a.example.com" }, { name: "s", url: "https://b.example.com" }] };
    expectFailure(kind, dup, "mcpServers[1].name", /duplicate/);
  });

  test("values unknown during preview are not judged", () => {
    expect(engine.check(kind, {}, { name: UNKNOWN, model: "ultimate" }).failures).toBeUndefined();
    expect(engine.check(kind, {}, { name: "a", model: "m", metadata: UNKNOWN }).failures).toBeUndefined();
    expect(engine.check(kind, {}, { name: "a", model: "m", skills: [UNKNOWN] }).failures).toBeUndefined();
    // the cross-reference waits until the server name is known
    const r = engine.check(kind, {}, { name: "a", model: "m", tools: [{ type: "mcp_toolset", mcpServerName: UNKNOWN }], mcpServers: [{ name: "s", url: "https://x.example.com" }] });
    expect(r.failures).toBeUndefined();
    // ...but known values next to unknown ones still are
    expectFailure(kind, { name: UNKNOWN, model: "m", description: "d".repeat(2049) }, "description", /2048/);
  });
});

describe("diff", () => {
  const state = () => stateAfterCreate(kind, checked(kind, program), live);

  test("the program against the state it created: no changes", () => {
    expect(engine.diff(kind, live.id, state(), checked(kind, program))).toEqual({ changes: false });
  });

  test('server defaults, "" vs absent, metadata key order and server-filled tool fields are not changes', () => {
    const olds: Record<string, any> = { ...state(), description: "", metadata: { tier: "gold", team: "platform" } };
    olds.tools = olds.tools.map((t: any) => ({ ...t, defaultConfig: { enabled: true } }));
    const news = checked(kind, { ...program, description: "" });
    expect(engine.diff(kind, live.id, olds, news)).toEqual({ changes: false });
    expect(engine.diff(kind, live.id, olds, { ...news, description: undefined, metadata: { team: "platform", tier: "gold" } })).toEqual({ changes: false });
  });

  test.each([
    ["system", { system: "Be terse." }],
    ["model", { model: "ultimate" }], // dropping the effort is a change, not a server default
    ["tools", { tools: [{ type: "agent_toolset_20260401" }, ...program.tools.slice(1)] }], // allowlist removed
    ["skills", { skills: program.skills.map((s) => (typeof s === "string" ? s : { skillId: s.skillId })) }], // pin removed
    ["metadata", { metadata: { team: "platform" } }],
  ])("a real change of %s is reported as that key, updated in place", (key, patch) => {
    const news = checked(kind, { ...program, ...patch });
    expect(engine.changedFields(kind, state(), news)).toEqual([key]);
    expect(engine.diff(kind, live.id, state(), news)).toEqual({ replaces: [] });
  });

  test("a server that answers an object model with a bare id: only the id is comparable", () => {
    const olds = { ...state(), model: "ultimate" };
    expect(engine.changedFields(kind, olds, checked(kind, program))).toEqual([]);
    expect(engine.changedFields(kind, olds, checked(kind, { ...program, model: { id: "efficient", effort: "low" } }))).toEqual(["model"]);
  });

  test("an unknown value is a change (known after apply)", () => {
    expect(engine.changedFields(kind, state(), { ...checked(kind, program), system: UNKNOWN })).toEqual(["system"]);
  });

  test("an agent archived out of band must be replaced", () => {
    expect(engine.diff(kind, live.id, { ...state(), archived: true }, checked(kind, program))).toEqual({ replaces: ["archived"], changes: true });
  });

  test("a deletionPolicy change is a change but not a replacement", () => {
    expect(engine.diff(kind, live.id, state(), checked(kind, { ...program, deletionPolicy: "delete" }))).toEqual({ replaces: [] });
  });
});

describe("normalization", () => {
  test("toInputs of the API object round-trips to no diff against the program", () => {
    const inputs = kind.toInputs(live, { deletionPolicy: "archive" });
    expect((inputs.tools[2] as { inputSchema?: unknown }).inputSchema).toEqual({ type: "object", properties: { user_name: { type: "string" } } }); // opaque: not renamed
    const refreshed = stateOf(kind, inputs, live, {});
    expect(engine.diff(kind, live.id, refreshed, checked(kind, program))).toEqual({ changes: false });
  });

  test("read returns id, outputs and inputs; outputs carry no id/urn and no undefined", async () => {
    server.reply({ json: live });
    const r = await engine.read(server.api(), kind, live.id, stateAfterCreate(kind, checked(kind, program), live));
    expect(server.sent()).toEqual([[`GET /agents/${live.id}`]]);
    expect(r.id).toBe(live.id);
    expect(r.props).toMatchObject({ agentId: live.id, version: 4, archived: false, archivedAt: null });
    expect(Object.keys(r.props!)).not.toEqual(expect.arrayContaining(["id", "urn"]));
    expect(JSON.parse(JSON.stringify(r.props))).toEqual(r.props);
    expect(r.inputs).toMatchObject({ name: "reviewer", deletionPolicy: "archive" });
  });
});

describe("update body", () => {
  test("only changed fields, null for cleared ones, a metadata patch, the version from state", async () => {
    server.reply({ json: { ...live, version: 5 } });
    const olds = { ...stateAfterCreate(kind, checked(kind, { ...program, description: "old" }), live) };
    const news = checked(kind, { ...program, description: "", system: "Be terse.", metadata: { team: "infra", owner: "bob" } });
    const r = await engine.update(server.api(), kind, live.id, olds, news);
    expect(server.sent()).toEqual([[`PUT /agents/${live.id}`, { version: 4, description: null, system: "Be terse.", metadata: { tier: null, team: "infra", owner: "bob" } }]]);
    expect(r.outs.version).toBe(5);
  });

  test("cleared lists are sent as null; changed lists whole and in API casing", async () => {
    server.reply({ json: live });
    const olds = stateAfterCreate(kind, checked(kind, program), live);
    await engine.update(server.api(), kind, live.id, olds, checked(kind, { name: "reviewer", model: program.model, system: program.system, metadata: program.metadata, tools: [{ type: "agent_toolset_20260401", disallowedTools: ["Bash"] }] }));
    expect(server.sent()).toEqual([[`PUT /agents/${live.id}`, { version: 4, tools: [{ type: "agent_toolset_20260401", disallowed_tools: ["Bash"] }], mcp_servers: null, skills: null }]]);
  });

  test("a lifecycle-only change writes nothing", async () => {
    const r = await engine.update(server.api(), kind, live.id, stateAfterCreate(kind, checked(kind, program), live), checked(kind, { ...program, deletionPolicy: "delete" }));
    expect(server.sent()).toEqual([]);
    expect(r.outs.deletionPolicy).toBe("delete");
  });
});
