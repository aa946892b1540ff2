import { request } from "undici";
import { errorOf, useEmulator } from "../../testkit/emulator-http";

const t = useEmulator({ defaultEnvironment: false });
const { api, admin } = t;

const TOOLSET = { type: "agent_toolset_20260401", enabled_tools: ["Bash", "Read"], configs: [{ name: "bash", permission_policy: { type: "always_ask" } }] };

async function agent(extra: Record<string, unknown> = {}) {
  const res = await api("POST", "/agents", { name: "emu-agent", model: "ultimate", tools: [TOOLSET, { type: "custom", name: "lookup", description: "d", input_schema: { type: "object" } }], ...extra });
  expect(res.status).toBe(201);
  return res.body;
}

async function environment() {
  const res = await api("POST", "/environments", { name: "emu-env", config: { type: "cloud" } });
  expect(res.status).toBe(201);
  return res.body;
}

async function session(body: Record<string, unknown> = {}) {
  const [a, e] = [await agent(), await environment()];
  const res = await api("POST", "/sessions", { agent: a.id, environment_id: e.id, ...body });
  expect(res.status).toBe(201);
  return { agent: a, env: e, session: res.body };
}

const say = (text: string) => ({ events: [{ type: "user.message", content: [{ type: "text", text }] }] });
async function events(id: string, query = "") {
  const res = await api("GET", `/sessions/${id}/events?limit=100${query}`);
  expect(res.status).toBe(200);
  return res.body.data as Array<{ id: string; type: string; [k: string]: any }>;
}
const types = (evts: Array<{ type: string }>) => evts.map((e) => e.type);

describe("sessions", () => {
  test("create, get, list, update, archive (status kept), delete", async () => {
    const { agent: a, env, session: s } = await session({ title: "t1", metadata: { k: "v" }, environment_variables: "FOO=1;BAR=x=y" });
    expect(s).toMatchObject({
      type: "session",
      id: expect.stringMatching(/^sess_[0-9a-f]{32}$/),
      agent: { id: a.id, version: 1, name: "emu-agent" },
      agent_id: a.id,
      environment_id: env.id,
      title: "t1",
      status: "idle",
      metadata: { k: "v" },
      resources: [],
      vault_ids: [],
      environment_variables: { FOO: "1", BAR: "x=y" },
      archived_at: null,
    });
    expect(s.agent).not.toHaveProperty("archived");
    expect((await api("GET", `/sessions/${s.id}`)).body).toEqual(s);

    const upd = await api("POST", `/sessions/${s.id}`, { title: "t2", metadata: { k: null, n: "1" } });
    expect(upd.status).toBe(200);
    expect(upd.body).toMatchObject({ title: "t2", metadata: { n: "1" } });

    const arch = await api("POST", `/sessions/${s.id}/archive`);
    expect(arch.status).toBe(200);
    expect(arch.body).toMatchObject({ status: "idle", archived_at: expect.any(String) });
    expect(errorOf(await api("POST", `/sessions/${s.id}/archive`))).toMatchObject({ status: 409, type: "conflict_error" });
    expect(errorOf(await api("POST", `/sessions/${s.id}/events`, say("hi")))).toMatchObject({ status: 409 });
    expect((await api("GET", "/sessions")).body.data.map((x: { id: string }) => x.id)).not.toContain(s.id);
    expect((await api("GET", "/sessions?include_archived=true")).body.data.map((x: { id: string }) => x.id)).toContain(s.id);

    const del = await api("DELETE", `/sessions/${s.id}`);
    expect(del.status).toBe(200);
    expect(del.body).toEqual({ id: s.id, type: "session_deleted" });
    expect(errorOf(await api("GET", `/sessions/${s.id}`))).toEqual({ status: 404, type: "not_found_error", message: `Session '${s.id}' was not found.` });
  });

  test("create validation: agent, environment, variables, resources, vaults", async () => {
    const [a, env] = [await agent(), await environment()];
    const create = (body: Record<string, unknown>) => api("POST", "/sessions", { agent: a.id, environment_id: env.id, ...body });
    expect(errorOf(await api("POST", "/sessions", { environment_id: env.id }))).toMatchObject({ status: 400, param: "agent" });
    expect(errorOf(await api("POST", "/sessions", { agent: a.id }))).toMatchObject({ status: 400, param: "environment_id" });
    expect(errorOf(await create({ agent: "agent_nope" }))).toMatchObject({ status: 400, param: "agent", message: "Agent 'agent_nope' was not found." });
    expect(errorOf(await create({ agent: { type: "agent", id: a.id, version: 9 } }))).toMatchObject({ status: 400, param: "agent.version" });
    expect(errorOf(await create({ environment_id: "env_nope" }))).toMatchObject({ status: 400, param: "environment_id" });
    for (const vars of ["1X=a", "SERVER_ENDPOINT=x", "QODER_X=1", "CAW_Y=1", "NOEQUALS", "A=1;A=2"]) {
      expect(errorOf(await create({ environment_variables: vars }))).toMatchObject({ status: 400, param: "environment_variables" });
    }
    expect(errorOf(await create({ environment_variables: { A: "1" } }))).toMatchObject({ status: 400, param: "environment_variables" });
    expect(errorOf(await create({ resources: [{ type: "file", file_id: "file_nope" }] }))).toMatchObject({ status: 400, param: "resources[0].file_id" });
    expect(errorOf(await create({ resources: [{ type: "disk" }] }))).toMatchObject({ status: 400, param: "resources[0].type" });
    expect(errorOf(await create({ vault_ids: ["vault_nope"] }))).toMatchObject({ status: 400, param: "vault_ids[0]" });

    const store = (await api("POST", "/memory_stores", { name: "notes", description: "team notes" })).body;
    const vault = (await api("POST", "/vaults", { display_name: "v" })).body;
    const ok = await create({
      agent: { type: "agent", id: a.id, version: 1 },
      vault_ids: [vault.id],
      resources: [
        { type: "github_repository", url: "https://github.com/acme/app.git", authorization_token: "ghp-SECRET" },
        { type: "memory_store", memory_store_id: store.id, access: "read_only" },
      ],
    });
    expect(ok.status).toBe(201);
    expect(ok.body.resources).toEqual([
      expect.objectContaining({ id: expect.stringMatching(/^sesrsc_/), type: "github_repository", url: "https://github.com/acme/app.git", mount_path: "/workspace/app" }),
      expect.objectContaining({ type: "memory_store", memory_store_id: store.id, access: "read_only", mount_path: "/mnt/memory/notes" }),
    ]);
    expect(ok.text).not.toContain("ghp-SECRET");
  });

  test("an archived agent or environment cannot start a session; an environment in use cannot be deleted", async () => {
    const { agent: a, env, session: s } = await session();
    expect(errorOf(await api("DELETE", `/environments/${env.id}`))).toMatchObject({ status: 409, type: "conflict_error" });
    expect((await api("POST", `/environments/${env.id}/archive`)).status).toBe(200);
    expect(errorOf(await api("POST", "/sessions", { agent: a.id, environment_id: env.id }))).toMatchObject({ status: 409, type: "conflict_error" });
    // Existing sessions are unaffected by the archive.
    expect((await api("POST", `/sessions/${s.id}/events`, say("still here"))).status).toBe(200);
    const env2 = await environment();
    expect((await api("POST", `/agents/${a.id}/archive`)).status).toBe(200);
    expect(errorOf(await api("POST", "/sessions", { agent: a.id, environment_id: env2.id }))).toMatchObject({ status: 409, type: "conflict_error" });
    expect((await api("DELETE", `/sessions/${s.id}`)).status).toBe(200);
    expect((await api("DELETE", `/environments/${env.id}`)).status).toBe(204);
  });

  test("a session keeps its agent version after the agent is updated (latest and pinned)", async () => {
    const a = await agent();
    const env = await environment();
    const v2 = await api("PUT", `/agents/${a.id}`, { version: 1, tools: [{ type: "agent_toolset_20260401", enabled_tools: ["Read"] }] });
    expect(v2.body.version).toBe(2);
    const pinned = (await api("POST", "/sessions", { agent: { type: "agent", id: a.id, version: 1 }, environment_id: env.id })).body;
    const latest = (await api("POST", "/sessions", { agent: a.id, environment_id: env.id })).body;
    expect(pinned.agent.version).toBe(1);
    expect(latest.agent.version).toBe(2);
    await api("PUT", `/agents/${a.id}`, { version: 2, description: "v3" });
    expect((await api("GET", `/sessions/${pinned.id}`)).body.agent.version).toBe(1);
    expect((await api("GET", `/sessions/${latest.id}`)).body.agent.version).toBe(2);
    // The runtime uses the frozen snapshot: Bash is enabled in v1 only.
    await api("POST", `/sessions/${pinned.id}/events`, say("[[tool:Bash]]"));
    await api("POST", `/sessions/${latest.id}/events`, say("[[tool:Bash]]"));
    expect(types(await events(pinned.id))).toContain("agent.tool_use");
    expect(types(await events(latest.id))).not.toContain("agent.tool_use");
    expect((await events(latest.id)).find((e) => e.type === "session.error")?.error.message).toMatch(/Tool 'Bash' is not enabled/);
  });

  test("session resources: add, list, get, delete", async () => {
    const { session: s } = await session();
    const added = await api("POST", `/sessions/${s.id}/resources`, { type: "github_repository", url: "https://github.com/acme/lib", mount_path: "/src/lib" });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ type: "github_repository", mount_path: "/src/lib" });
    expect((await api("GET", `/sessions/${s.id}/resources`)).body).toMatchObject({ data: [added.body], has_more: false });
    expect((await api("GET", `/sessions/${s.id}/resources/${added.body.id}`)).body).toEqual(added.body);
    expect((await api("GET", `/sessions/${s.id}`)).body.resources).toEqual([added.body]);
    expect((await api("DELETE", `/sessions/${s.id}/resources/${added.body.id}`)).body).toEqual({ id: added.body.id, type: "session_resource_deleted" });
    expect(errorOf(await api("GET", `/sessions/${s.id}/resources/${added.body.id}`))).toMatchObject({ status: 404, type: "not_found_error" });
    expect(errorOf(await api("POST", `/sessions/${s.id}/resources`, { type: "github_repository", url: "x", mount_path: "rel" }))).toMatchObject({ status: 400 });
  });
});

describe("events and the scripted runtime", () => {
  test("a plain message: running, span, thinking, message, span end, idle end_turn; every reply is marked", async () => {
    const { session: s } = await session();
    const sent = await api("POST", `/sessions/${s.id}/events`, say("hello"));
    expect(sent.status).toBe(200);
    expect(sent.body.data).toEqual([{ id: expect.stringMatching(/^evt_/), type: "user.message", created_at: expect.any(String), content: [{ type: "text", text: "hello" }] }]);
    const log = await events(s.id);
    expect(types(log)).toEqual(["user.message", "session.status_running", "span.model_request_start", "agent.thinking", "agent.message", "span.model_request_end", "session.status_idle"]);
    expect(log[4].content[0].text).toMatch(/^\[qoder-emulator\] .*"hello"/);
    expect(log[3].content[0].text).toMatch(/^\[qoder-emulator\]/);
    expect(log[5]).toMatchObject({ model_request_start_id: log[2].id, model_usage: { input_tokens: 0, output_tokens: 0 } });
    expect(log[6].stop_reason).toEqual({ type: "end_turn" });
    expect((await api("GET", `/sessions/${s.id}`)).body.status).toBe("idle");
  });

  test("tool, confirm (allow and deny), custom tool, error, artifact", async () => {
    const { session: s } = await session();
    await api("POST", `/sessions/${s.id}/events`, say("[[tool:Read]][[say:read it]]"));
    let log = await events(s.id);
    const use = log.find((e) => e.type === "agent.tool_use")!;
    expect(use).toMatchObject({ name: "Read", evaluated_permission: "allow" });
    expect(log.find((e) => e.type === "agent.tool_result")).toMatchObject({ tool_use_id: use.id, is_error: false });
    expect(log.filter((e) => e.type === "agent.message").map((e) => e.content[0].text)).toEqual(["[qoder-emulator] read it"]);

    // Bash asks first (always_ask in the agent's configs).
    const mark = log.length;
    await api("POST", `/sessions/${s.id}/events`, say("[[tool:Bash]][[say:after]]"));
    log = await events(s.id);
    const ask = log.slice(mark).find((e) => e.type === "agent.tool_use")!;
    expect(ask.evaluated_permission).toBe("ask");
    expect(log.at(-1)).toMatchObject({ type: "session.status_idle", stop_reason: { type: "requires_action", event_ids: [ask.id] } });
    expect(errorOf(await api("POST", `/sessions/${s.id}/events`, say("again")))).toMatchObject({ status: 409 });
    expect(errorOf(await api("POST", `/sessions/${s.id}/events`, { events: [{ type: "user.tool_confirmation", tool_use_id: "evt_other", result: "allow" }] }))).toMatchObject({ status: 400, param: "events[0].tool_use_id" });
    await api("POST", `/sessions/${s.id}/events`, { events: [{ type: "user.tool_confirmation", tool_use_id: ask.id, result: "deny" }] });
    log = await events(s.id);
    expect(log.find((e) => e.type === "agent.tool_result" && e.tool_use_id === ask.id)).toMatchObject({ is_error: true });
    expect(log.at(-2)).toMatchObject({ type: "span.model_request_end" });
    expect(log.at(-1)).toMatchObject({ type: "session.status_idle", stop_reason: { type: "end_turn" } });
    expect(log.filter((e) => e.type === "agent.message").at(-1)!.content[0].text).toBe("[qoder-emulator] after");

    await api("POST", `/sessions/${s.id}/events`, say("[[confirm:Read]]"));
    const ask2 = (await events(s.id)).filter((e) => e.type === "agent.tool_use").at(-1)!;
    await api("POST", `/sessions/${s.id}/events`, { events: [{ type: "user.tool_confirmation", tool_use_id: ask2.id, result: "allow" }] });
    expect((await events(s.id)).find((e) => e.type === "agent.tool_result" && e.tool_use_id === ask2.id)).toMatchObject({ is_error: false });

    await api("POST", `/sessions/${s.id}/events`, say("[[custom:lookup]]"));
    const custom = (await events(s.id)).filter((e) => e.type === "agent.custom_tool_use").at(-1)!;
    expect(custom).toMatchObject({ name: "lookup", input: {} });
    const res = await api("POST", `/sessions/${s.id}/events`, { events: [{ type: "user.custom_tool_result", custom_tool_use_id: custom.id, content: [{ type: "text", text: "42" }] }] });
    expect(res.status).toBe(200);
    expect((await events(s.id)).at(-1)).toMatchObject({ type: "session.status_idle", stop_reason: { type: "end_turn" } });

    await api("POST", `/sessions/${s.id}/events`, say("[[error:boom]][[artifact:out.txt]][[bogus]]"));
    log = await events(s.id, "&order=desc&types[]=session.error&types[]=agent.artifact_delivered");
    expect(types(log)).toEqual(["session.error", "agent.artifact_delivered", "session.error"]);
    expect(log[2].error).toEqual({ type: "api_error", message: "[qoder-emulator] boom", retryable: true });
    const file = (await api("GET", `/files/${log[1].file_id}`)).body;
    expect(file).toMatchObject({ filename: "out.txt", purpose: "agent_output", downloadable: true, scope: { type: "session", id: s.id } });
  });

  test("wait, interrupt, cancel and terminate", async () => {
    const { session: s } = await session();
    await api("POST", `/sessions/${s.id}/events`, say("[[wait]]"));
    expect((await api("GET", `/sessions/${s.id}`)).body.status).toBe("running");
    expect(errorOf(await api("POST", `/sessions/${s.id}/events`, say("more")))).toMatchObject({ status: 409 });
    await api("POST", `/sessions/${s.id}/events`, { events: [{ type: "user.interrupt" }] });
    expect((await events(s.id)).at(-1)).toMatchObject({ type: "session.status_idle", stop_reason: { type: "cancelled" } });

    await api("POST", `/sessions/${s.id}/events`, say("[[wait]]"));
    const cancelled = await api("POST", `/sessions/${s.id}/cancel`);
    expect(cancelled.body.status).toBe("idle");
    expect((await events(s.id)).at(-1)).toMatchObject({ stop_reason: { type: "cancelled" } });
    expect((await api("POST", `/sessions/${s.id}/cancel`)).status).toBe(200); // idle: nothing to cancel

    await api("POST", `/sessions/${s.id}/events`, say("[[terminate]]"));
    expect(types((await events(s.id)).slice(-2))).toEqual(["session.error", "session.status_terminated"]);
    expect((await api("GET", `/sessions/${s.id}`)).body.status).toBe("terminated");
    expect(errorOf(await api("POST", `/sessions/${s.id}/events`, say("hello?")))).toMatchObject({ status: 409 });
    expect(errorOf(await api("POST", `/sessions/${s.id}/cancel`))).toMatchObject({ status: 409 });
  });

  test("event body validation", async () => {
    const { session: s } = await session();
    const post = (body: unknown) => api("POST", `/sessions/${s.id}/events`, body);
    expect(errorOf(await post({}))).toMatchObject({ status: 400, param: "events" });
    expect(errorOf(await post({ events: [] }))).toMatchObject({ status: 400, param: "events" });
    expect(errorOf(await post({ events: [{ type: "user.message", content: "plain" }] }))).toMatchObject({ status: 400, param: "events[0].content" });
    expect(errorOf(await post({ events: [{ type: "user.message", content: [] }] }))).toMatchObject({ status: 400, param: "events[0].content" });
    expect(errorOf(await post({ events: [{ type: "agent.message", content: [] }] }))).toMatchObject({ status: 400, param: "events[0].type" });
    expect(errorOf(await post({ events: [{ type: "user.tool_confirmation", tool_use_id: "x", result: "maybe" }] }))).toMatchObject({ status: 400, param: "events[0].result" });
    const sys = { type: "system.message", content: [{ type: "text", text: "s" }] };
    expect(errorOf(await post({ events: [sys, say("x").events[0]] }))).toMatchObject({ status: 400, param: "events[0].type" });
    expect((await post({ events: [say("x").events[0], sys] })).status).toBe(200);
    // Nothing of a refused batch is stored.
    expect(types(await events(s.id)).filter((x) => x.startsWith("user.") || x.startsWith("system."))).toEqual(["user.message", "system.message"]);
  });

  test("event list pagination: ascending by default, order=desc, cursors, strict order values", async () => {
    const { session: s } = await session();
    await api("POST", `/sessions/${s.id}/events`, say("one"));
    const all = await events(s.id);
    const page = (await api("GET", `/sessions/${s.id}/events?limit=3`)).body;
    expect(page.data.map((e: { id: string }) => e.id)).toEqual(all.slice(0, 3).map((e) => e.id));
    expect(page).toMatchObject({ first_id: all[0].id, last_id: all[2].id, has_more: true });
    const next = (await api("GET", `/sessions/${s.id}/events?limit=3&after_id=${page.last_id}`)).body;
    expect(next.data.map((e: { id: string }) => e.id)).toEqual(all.slice(3, 6).map((e) => e.id));
    const desc = (await api("GET", `/sessions/${s.id}/events?order=desc&limit=2`)).body;
    expect(desc.data.map((e: { id: string }) => e.id)).toEqual([all.at(-1)!.id, all.at(-2)!.id]);
    expect(errorOf(await api("GET", `/sessions/${s.id}/events?order=sideways`))).toMatchObject({ status: 400, param: "order" });
    // The older docs' order on agents: honoured, and strict.
    const agents = (await api("GET", "/agents?order=asc&limit=100")).body.data.map((a: { id: string }) => a.id);
    expect(agents).toEqual([...agents].sort());
    expect(errorOf(await api("GET", "/agents?order=up"))).toMatchObject({ status: 400, param: "order" });
  });
});

describe("SSE stream", () => {
  /** Reads raw SSE text until `until` matches or `max` ms pass; returns what arrived. */
  async function readStream(path: string, headers: Record<string, string>, until: (text: string) => boolean, onText?: (text: string) => void) {
    const ac = new AbortController();
    const res = await request(t.emu.baseUrl + path, { headers: { authorization: `Bearer ${t.emu.token}`, accept: "text/event-stream", ...headers }, signal: ac.signal });
    let text = "";
    try {
      for await (const chunk of res.body) {
        text += chunk.toString();
        onText?.(text);
        if (until(text)) break;
      }
    } catch {
      // dropped by the server: return what arrived
    } finally {
      ac.abort();
    }
    return { status: res.statusCode, headers: res.headers, text };
  }
  const frames = (text: string) => [...text.matchAll(/id: (evt_\w+)\nevent: ([\w.]+)\ndata: (.*)\n\n/g)].map((m) => ({ id: m[1], type: m[2], data: JSON.parse(m[3]) }));

  test("text/event-stream with ids, resumable with Last-Event-ID; unknown ids refused", async () => {
    const { session: s } = await session();
    await api("POST", `/sessions/${s.id}/events`, say("first"));
    const all = await events(s.id);
    const res = await readStream(`/sessions/${s.id}/events/stream`, { "last-event-id": all[1].id }, (x) => x.includes("session.status_idle"));
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^text\/event-stream/);
    const got = frames(res.text);
    expect(got.map((f) => f.id)).toEqual(all.slice(2).map((e) => e.id));
    expect(got[0].data).toEqual(all[2]);
    expect(errorOf(await api("GET", `/sessions/${s.id}/events/stream`, undefined, { "last-event-id": "evt_nope" }))).toMatchObject({ status: 400, param: "Last-Event-ID" });
    expect(errorOf(await api("GET", `/sessions/sess_nope/events/stream`))).toMatchObject({ status: 404 });
  });

  test("a live stream gets new events only; heartbeats; drop after N events", async () => {
    const { session: s } = await session();
    await api("POST", `/sessions/${s.id}/events`, say("before"));
    await admin("PUT", "/faults", { stream: { heartbeatMs: 20, dropAfterEvents: 3 } });
    try {
      let sent: Promise<unknown> | undefined;
      // Send once a heartbeat came: the connection is registered, and heartbeats are proven.
      const res = await readStream(`/sessions/${s.id}/events/stream`, {}, () => false, (text) => {
        if (!sent && text.includes("event: heartbeat")) sent = api("POST", `/sessions/${s.id}/events`, say("after"));
      });
      await sent;
      expect(res.text).toContain('event: heartbeat\ndata: {"type":"heartbeat"}');
      const got = frames(res.text);
      expect(got.map((f) => f.type)).toEqual(["user.message", "session.status_running", "span.model_request_start"]);
      expect(got[0].data.content[0].text).toBe("after");
    } finally {
      await admin("PUT", "/faults", {});
    }
  });

  test("the stream of a terminated session ends after its last event; stream faults are validated", async () => {
    const { session: s } = await session();
    await api("POST", `/sessions/${s.id}/events`, say("[[terminate]]"));
    const all = await events(s.id);
    const res = await readStream(`/sessions/${s.id}/events/stream`, { "last-event-id": all[0].id }, () => false);
    expect(frames(res.text).at(-1)!.type).toBe("session.status_terminated");
    expect(errorOf(await admin("PUT", "/faults", { stream: { dropAfterEvents: -1 } }))).toMatchObject({ status: 400, param: "stream.dropAfterEvents" });
  });
});

describe("strictness on credentials", () => {
  test("a flat credential needs its type and protocol", async () => {
    const flat = { mcp_server_url: "https://m.example/mcp", protocol: "sse", type: "static_bearer", access_token: "tok" };
    const { protocol: _p, ...noProtocol } = flat;
    const { type: _t, ...noType } = flat;
    expect(errorOf(await api("POST", "/vaults", { display_name: "v", credentials: [noProtocol] }))).toMatchObject({ status: 400, param: "credentials[0].protocol" });
    expect(errorOf(await api("POST", "/vaults", { display_name: "v", credentials: [noType] }))).toMatchObject({ status: 400, param: "credentials[0].type" });
    const vault = (await api("POST", "/vaults", { display_name: "v" })).body;
    expect(errorOf(await api("POST", `/vaults/${vault.id}/credentials`, { auth: { mcp_server_url: "https://m.example/mcp", token: "t" } }))).toMatchObject({ status: 400, param: "auth.type" });
    expect((await api("POST", `/vaults/${vault.id}/credentials`, { auth: { type: "static_bearer", mcp_server_url: "https://m.example/mcp", token: "t" } })).status).toBe(201);
  });
});
