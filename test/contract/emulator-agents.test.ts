import { errorOf, useEmulator } from "../../testkit/emulator-http";

const t = useEmulator();
const { api } = t;

const ID = /^agent_[0-9a-f]{32}$/;
const TS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;
const badRequest = (param: string) => ({ status: 400, type: "invalid_request_error", param });

describe("agents", () => {
  test("full lifecycle: create, get, update (PUT and POST), versions, archive, delete", async () => {
    const create = await api("POST", "/agents", { name: "doc-agent", model: "ultimate", instructions: "Be brief." });
    expect(create.status).toBe(201);
    const agent = create.body;
    expect(agent).toEqual({
      type: "agent",
      id: expect.stringMatching(ID),
      name: "doc-agent",
      description: "",
      model: "ultimate",
      system: "Be brief.",
      tools: [],
      mcp_servers: [],
      skills: [],
      metadata: {},
      version: 1,
      archived: false,
      archived_at: null,
      created_at: expect.stringMatching(TS),
      updated_at: agent.created_at,
    });
    expect((await api("GET", `/agents/${agent.id}`)).body).toEqual(agent);

    const put = await api("PUT", `/agents/${agent.id}`, { version: 1, description: "d", metadata: { team: "a", env: "x" } });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ version: 2, description: "d", system: "Be brief.", metadata: { team: "a", env: "x" } });

    const post = await api("POST", `/agents/${agent.id}`, { version: 2, system: null, metadata: { env: null, new: "y" } });
    expect(post.body).toMatchObject({ version: 3, system: "", description: "d", metadata: { team: "a", new: "y" } });
    expect(post.body.metadata).not.toHaveProperty("env");

    const snap = await api("GET", `/agents/${agent.id}?version=2`);
    expect(snap.status).toBe(200);
    expect(snap.body).toMatchObject({ id: agent.id, version: 2, description: "d", system: "Be brief.", archived_at: null });
    expect(snap.body).not.toHaveProperty("archived");

    const versions = await api("GET", `/agents/${agent.id}/versions`);
    expect(versions.body.data.map((v: { version: number }) => v.version)).toEqual([3, 2, 1]);
    expect(versions.body).toMatchObject({ first_id: "3", last_id: "1", has_more: false });
    const older = await api("GET", `/agents/${agent.id}/versions?after_id=3&limit=1`);
    expect(older.body).toMatchObject({ data: [{ version: 2 }], has_more: true });

    const archived = await api("POST", `/agents/${agent.id}/archive`);
    expect(archived.status).toBe(200);
    expect(archived.body).toMatchObject({ archived: true, archived_at: expect.stringMatching(TS), version: 3 });
    expect(archived.body.updated_at).toBe(archived.body.archived_at);
    expect(errorOf(await api("POST", `/agents/${agent.id}/archive`))).toMatchObject({ status: 409, type: "conflict_error" });
    expect(errorOf(await api("PUT", `/agents/${agent.id}`, { version: 3, name: "x" }))).toMatchObject({ status: 409, type: "conflict_error" });
    expect((await api("GET", "/agents")).body.data.map((a: { id: string }) => a.id)).not.toContain(agent.id);
    expect((await api("GET", "/agents?include_archived=true")).body.data.map((a: { id: string }) => a.id)).toContain(agent.id);

    const del = await api("DELETE", `/agents/${agent.id}`);
    expect(del.status).toBe(200);
    expect(del.body).toEqual({ type: "agent", id: agent.id, deleted: true });
    expect(errorOf(await api("DELETE", `/agents/${agent.id}`))).toEqual({
      status: 404,
      type: "not_found_error",
      message: `Agent '${agent.id}' was not found.`,
      param: undefined,
    });
  });

  test("update requires the current version; conflict leaves the agent untouched", async () => {
    const { body: agent } = await api("POST", "/agents", { name: "occ", model: "auto" });
    expect(errorOf(await api("PUT", `/agents/${agent.id}`, { name: "x" }))).toMatchObject(badRequest("version"));
    expect(errorOf(await api("PUT", `/agents/${agent.id}`, { version: "1" }))).toMatchObject(badRequest("version"));
    expect(errorOf(await api("PUT", `/agents/${agent.id}`, { version: 7, name: "x" }))).toEqual({
      status: 409,
      type: "conflict_error",
      message: "Version conflict",
      param: undefined,
    });
    expect((await api("GET", `/agents/${agent.id}`)).body).toMatchObject({ name: "occ", version: 1 });
    const noop = await api("PUT", `/agents/${agent.id}`, { version: 1, name: "occ" });
    expect(noop.body).toMatchObject({ version: 1, updated_at: agent.updated_at });
    expect(errorOf(await api("PUT", `/agents/${agent.id}`, { version: 1, name: null }))).toMatchObject(badRequest("name"));
    expect(errorOf(await api("PUT", "/agents/agent_00000000000000000000000000000000", { version: 1 }))).toMatchObject({ status: 404, type: "not_found_error" });
  });

  test("lists are replaced whole and null clears them", async () => {
    const tools = [{ type: "mcp_toolset", mcp_server_name: "gh" }, { type: "agent_toolset_20260401", enabled_tools: ["Bash"] }];
    const mcp = [{ type: "url", name: "gh", url: "https://mcp.example.com" }];
    const { body: agent } = await api("POST", "/agents", { name: "lists", model: "auto", tools, mcp_servers: mcp });
    expect(agent).toMatchObject({ tools, mcp_servers: mcp });
    const replaced = await api("PUT", `/agents/${agent.id}`, { version: 1, tools: [{ type: "agent_toolset_20260401" }], mcp_servers: null });
    expect(replaced.body).toMatchObject({ version: 2, tools: [{ type: "agent_toolset_20260401" }], mcp_servers: [] });
    const cleared = await api("PUT", `/agents/${agent.id}`, { version: 2, tools: null, description: null });
    expect(cleared.body).toMatchObject({ version: 3, tools: [], description: "" });
  });

  test("model: string or object, efforts checked against the catalogue", async () => {
    const obj = { id: "ultimate", effort: "xhigh", context_window: 1000000 };
    expect((await api("POST", "/agents", { name: "m", model: obj })).body.model).toEqual(obj);
    expect(errorOf(await api("POST", "/agents", { name: "m", model: "gpt-9" }))).toMatchObject(badRequest("model"));
    expect(errorOf(await api("POST", "/agents", { name: "m", model: { id: "nope" } }))).toMatchObject(badRequest("model"));
    expect(errorOf(await api("POST", "/agents", { name: "m", model: { id: "auto", effort: "low" } }))).toMatchObject(badRequest("model"));
    expect(errorOf(await api("POST", "/agents", { name: "m", model: { id: "ultimate", effort: "turbo" } }))).toMatchObject(badRequest("model.effort"));
    expect(errorOf(await api("POST", "/agents", { name: "m", model: { id: "ultimate", context_window: 5 } }))).toMatchObject(
      badRequest("model.context_window"),
    );
    expect(errorOf(await api("POST", "/agents", { name: "m", model: 42 }))).toMatchObject(badRequest("model"));
  });

  test("create validation", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ model: "auto" }, "name"],
      [{ name: "", model: "auto" }, "name"],
      [{ name: "x".repeat(257), model: "auto" }, "name"],
      [{ name: "n" }, "model"],
      [{ name: "n", model: "auto", description: "d".repeat(2049) }, "description"],
      [{ name: "n", model: "auto", system: "s".repeat(100001) }, "system"],
      [{ name: "n", model: "auto", tools: Array.from({ length: 129 }, () => ({ type: "agent_toolset_20260401" })) }, "tools"],
      [{ name: "n", model: "auto", tools: [{ type: "custom", name: "bad name!" }] }, "tools[0].name"],
      [{ name: "n", model: "auto", tools: [{ type: "browser_toolset_20260714" }] }, "tools[0].type"],
      [{ name: "n", model: "auto", tools: [{ type: "mcp_toolset", mcp_server_name: "ghost" }] }, "tools[0].mcp_server_name"],
      [{ name: "n", model: "auto", mcp_servers: [{ type: "url", name: "a", url: "https://a" }] }, "mcp_servers[0]"],
      [
        {
          name: "n",
          model: "auto",
          tools: [{ type: "mcp_toolset", mcp_server_name: "a" }],
          mcp_servers: [
            { type: "url", name: "a", url: "https://a" },
            { type: "url", name: "a", url: "https://b" },
          ],
        },
        "mcp_servers[1].name",
      ],
      [{ name: "n", model: "auto", mcp_servers: Array.from({ length: 21 }, (_, i) => ({ type: "url", name: `s${i}`, url: "https://a" })) }, "mcp_servers"],
      [{ name: "n", model: "auto", skills: [{ type: "custom", skill_id: "skill_00000000000000000000000000000000" }] }, "skills[0].skill_id"],
      [{ name: "n", model: "auto", skills: Array.from({ length: 21 }, () => ({ type: "qoder", skill_id: "x" })) }, "skills"],
      [{ name: "n", model: "auto", metadata: Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, "v"])) }, "metadata"],
      [{ name: "n", model: "auto", metadata: { ["k".repeat(65)]: "v" } }, `metadata.${"k".repeat(65)}`],
      [{ name: "n", model: "auto", metadata: { k: "v".repeat(513) } }, "metadata.k"],
      [{ name: "n", model: "auto", metadata: { k: 1 } }, "metadata.k"],
      [{ name: "n", model: "auto", metadata: "x" }, "metadata"],
    ];
    for (const [body, param] of cases) {
      const res = await api("POST", "/agents", body);
      expect({ case: param, ...errorOf(res) }).toMatchObject({ case: param, ...badRequest(param) });
    }
    expect(errorOf(await api("POST", "/agents", { model: "auto" })).message).toBe("Missing required field: name");
    const beta = await api("POST", "/agents", { name: "b", model: "auto", tools: [{ type: "browser_toolset_20260714" }] }, { "x-qoder-beta": "browser-use-2026-07-14" });
    expect(beta.status).toBe(201);
  });

  test("metadata patch keeps the 16-key limit", async () => {
    const full = Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`k${i}`, "v"]));
    const { body: agent } = await api("POST", "/agents", { name: "meta", model: "auto", metadata: full });
    expect(errorOf(await api("PUT", `/agents/${agent.id}`, { version: 1, metadata: { extra: "v" } }))).toMatchObject(badRequest("metadata"));
    const swapped = await api("PUT", `/agents/${agent.id}`, { version: 1, metadata: { k0: null, extra: "v" } });
    expect(swapped.status).toBe(200);
    expect(Object.keys(swapped.body.metadata)).toHaveLength(16);
  });

  test("get/version errors", async () => {
    const { body: agent } = await api("POST", "/agents", { name: "v", model: "auto" });
    expect(errorOf(await api("GET", `/agents/${agent.id}?version=9`))).toMatchObject({ status: 404, type: "not_found_error" });
    expect(errorOf(await api("GET", `/agents/${agent.id}?version=zero`))).toMatchObject(badRequest("version"));
    expect(errorOf(await api("GET", `/agents/${agent.id}/versions?after_id=abc`))).toMatchObject(badRequest("after_id"));
    expect(errorOf(await api("GET", "/agents/agent_nope/versions"))).toMatchObject({ status: 404, message: "Agent 'agent_nope' was not found." });
  });
});
