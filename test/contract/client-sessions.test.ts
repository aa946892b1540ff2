import {
  BadRequestError,
  ConflictError,
  NotFoundError,
  QoderError,
  StreamIdleTimeoutError,
  encodeEnvironmentVariables,
  eventText,
  isEvent,
  stopReasonType,
  userMessage,
  type QoderClient,
  type SessionEvent,
} from "../../sdk";
import { expectError, useEmulator } from "./client-harness";

jest.setTimeout(60_000);
const h = useEmulator();

const TOOLS = [{ type: "agent_toolset_20260401", enabled_tools: ["Read", "Bash"], configs: [{ name: "bash", permission_policy: { type: "always_ask" } }] }];

async function setup(c: QoderClient) {
  const agent = await c.agents.create({ name: "stream-agent", model: "ultimate", tools: TOOLS });
  const env = await c.environments.create({ name: "stream-env", config: { type: "cloud" } });
  const session = await c.sessions.create({ agent: agent.id, environment_id: env.id, title: "t" });
  return { agent, env, session };
}

/** Sends a message and collects the stream that follows it until the session goes idle. */
async function turn(c: QoderClient, sessionId: string, text: string, opts: { idleTimeoutMs?: number } = {}): Promise<{ sent: SessionEvent; got: SessionEvent[] }> {
  const [sent] = await c.sessions.events.send(sessionId, [userMessage(text)]);
  const got: SessionEvent[] = [];
  for await (const e of c.sessions.events.stream(sessionId, { after: sent.id, untilIdle: true, ...opts })) got.push(e);
  return { sent, got };
}

describe("sessions", () => {
  test("create (latest and pinned agent), get, list, update, archive, delete", async () => {
    const c = h.client();
    const { agent, env, session } = await setup(c);
    expect(session).toMatchObject({ type: "session", status: "idle", title: "t", environment_id: env.id, agent: { id: agent.id, version: 1 } });
    await c.agents.update(agent.id, { version: 1, description: "v2" });
    const pinned = await c.sessions.create({ agent: { type: "agent", id: agent.id, version: 1 }, environment_id: env.id, environment_variables: { FOO: "1", BAR: "a=b" } });
    expect(pinned.agent?.version).toBe(1);
    expect(pinned.environment_variables).toEqual({ FOO: "1", BAR: "a=b" });
    expect((await c.sessions.create({ agent: agent.id, environment_id: env.id })).agent?.version).toBe(2);

    expect((await c.sessions.get(session.id)).id).toBe(session.id);
    expect((await c.sessions.update(session.id, { title: "renamed", metadata: { a: "1" } })).metadata).toEqual({ a: "1" });
    const archived = await c.sessions.archive(session.id);
    expect(archived).toMatchObject({ status: "idle", archived_at: expect.any(String) });
    expect((await c.sessions.list().toArray()).map((s) => s.id)).not.toContain(session.id);
    expect((await c.sessions.list({ include_archived: true }).toArray()).map((s) => s.id)).toContain(session.id);
    expect(await c.sessions.delete(session.id)).toMatchObject({ id: session.id });
    await expectError(() => c.sessions.get(session.id), NotFoundError, { status: 404, type: "not_found_error" });
    await expectError(() => c.environments.delete(env.id), ConflictError, { status: 409 }); // pinned still uses it
  });

  test("environment variables are checked before sending; the API's errors are typed", async () => {
    const c = h.client();
    expect(encodeEnvironmentVariables({ A: "1", B_2: "x=y" })).toBe("A=1;B_2=x=y");
    const bads: Record<string, string>[] = [{ "1A": "x" }, { USER_ID: "x" }, { QODER_TOKEN: "x" }, { A: "a;b" }];
    for (const bad of bads) expect(() => encodeEnvironmentVariables(bad)).toThrow(QoderError);
    expect(() => encodeEnvironmentVariables({ A: "secret;value" })).toThrow(/A/);
    expect(() => encodeEnvironmentVariables({ A: "secret;value" })).not.toThrow(/secret/);
    const { env } = await setup(c);
    await expectError(() => c.sessions.create({ agent: "agent_missing", environment_id: env.id }), BadRequestError, { status: 400, param: "agent" });
    await expectError(() => c.sessions.create({ agent: "agent_missing", environment_id: env.id, environment_variables: "WORK_DIR=/x" }), BadRequestError, { status: 400 });
  });

  test("session resources: add, list, get, delete", async () => {
    const c = h.client();
    const { session } = await setup(c);
    const store = await c.memoryStores.create({ name: "kb", description: "knowledge" });
    const r = await c.sessions.resources.add(session.id, { type: "memory_store", memory_store_id: store.id, access: "read_only" });
    expect(r).toMatchObject({ type: "memory_store", memory_store_id: store.id, access: "read_only" });
    expect((await c.sessions.resources.list(session.id).toArray()).map((x) => x.id)).toEqual([r.id]);
    expect((await c.sessions.resources.get(session.id, r.id)).mount_path).toBe("/mnt/memory/kb");
    expect(await c.sessions.resources.delete(session.id, r.id)).toMatchObject({ id: r.id });
    await expectError(() => c.sessions.resources.get(session.id, r.id), NotFoundError, { status: 404 });
  });
});

describe("events", () => {
  test("send, list (order, types, pagination), typed events", async () => {
    const c = h.client();
    const { session } = await setup(c);
    const { got } = await turn(c, session.id, "[[tool:Read]][[say:done]]");
    expect(got.map((e) => e.type)).toEqual([
      "session.status_running",
      "span.model_request_start",
      "agent.tool_use",
      "span.model_request_end",
      "agent.tool_result",
      "span.model_request_start",
      "agent.message",
      "span.model_request_end",
      "session.status_idle",
    ]);
    const message = got.find((e) => isEvent(e, "agent.message"))!;
    expect(eventText(message)).toBe("[qoder-emulator] done");
    const idle = got.at(-1)!;
    expect(isEvent(idle, "session.status_idle") && stopReasonType(idle)).toBe("end_turn");

    const all = await c.sessions.events.list(session.id, { limit: 3 }).toArray();
    expect(all.map((e) => e.id)).toEqual([...all.map((e) => e.id)].sort());
    expect(all.slice(1).map((e) => e.id)).toEqual(got.map((e) => e.id));
    const desc = await c.sessions.events.list(session.id, { order: "desc", types: ["agent.message", "user.message"] }).toArray();
    expect(desc.map((e) => e.type)).toEqual(["agent.message", "user.message"]);
  });

  test("tool confirmation, custom tool result and interrupt round-trips", async () => {
    const c = h.client();
    const { session } = await setup(c);
    const first = await turn(c, session.id, "[[tool:Bash]]");
    const idle = first.got.at(-1)!;
    expect(isEvent(idle, "session.status_idle") && stopReasonType(idle)).toBe("requires_action");
    const use = first.got.find((e) => isEvent(e, "agent.tool_use"))!;
    await expectError(() => c.sessions.events.send(session.id, [userMessage("skip it")]), ConflictError, { status: 409 });
    const [confirm] = await c.sessions.events.send(session.id, [{ type: "user.tool_confirmation", tool_use_id: use.id, result: "allow" }]);
    const rest: SessionEvent[] = [];
    for await (const e of c.sessions.events.stream(session.id, { after: confirm.id, untilIdle: true })) rest.push(e);
    expect(rest[0].type).toBe("session.status_running");
    expect(rest.find((e) => isEvent(e, "agent.tool_result"))).toMatchObject({ tool_use_id: use.id, is_error: false });

    await c.sessions.events.send(session.id, [userMessage("[[wait]]")]);
    expect((await c.sessions.get(session.id)).status).toBe("running");
    await c.sessions.events.send(session.id, [{ type: "user.interrupt" }]);
    expect((await c.sessions.get(session.id)).status).toBe("idle");
    await c.sessions.events.send(session.id, [userMessage("[[wait]]")]);
    expect((await c.sessions.cancel(session.id)).status).toBe("idle");
  });
});

describe("the live stream", () => {
  afterEach(() => h.faults({}));

  test("a stream the emulator drops every 2 events still yields every event exactly once, in order", async () => {
    const c = h.client({ maxRetryDelayMs: 20 });
    const { session } = await setup(c);
    await h.faults({ stream: { dropAfterEvents: 2 } });
    const mark = await h.mark();
    const { sent, got } = await turn(c, session.id, "[[tool:Read]][[think:hm]][[tool:Read]][[say:one]][[say:two]]");
    await h.faults({});
    const logged = await c.sessions.events.list(session.id, { after_id: sent.id, limit: 100 }).toArray();
    expect(got.map((e) => e.id)).toEqual(logged.map((e) => e.id));
    expect(new Set(got.map((e) => e.id)).size).toBe(got.length);
    expect(got.length).toBeGreaterThan(10);
    // It really was dropped and resumed: one connection per two events.
    expect((await h.since(mark, "GET /sessions/{id}/events/stream")).length).toBeGreaterThanOrEqual(Math.ceil(got.length / 2));
  });

  test("a slow stream with heartbeats in between is read to the end", async () => {
    const c = h.client();
    const { session } = await setup(c);
    await h.faults({ stream: { eventDelayMs: 30, heartbeatMs: 10 } });
    const { got } = await turn(c, session.id, "[[say:slow]]");
    expect(got.map((e) => e.type)).toEqual(["session.status_running", "span.model_request_start", "agent.message", "span.model_request_end", "session.status_idle"]);
  });

  test("a stream that goes silent fails clearly after idleTimeoutMs, naming where to resume", async () => {
    const c = h.client();
    const { session } = await setup(c);
    await h.faults({ stream: { stallAfterEvents: 1 } });
    const [sent] = await c.sessions.events.send(session.id, [userMessage("hi")]);
    const got: SessionEvent[] = [];
    const err = await (async () => {
      for await (const e of c.sessions.events.stream(session.id, { after: sent.id, idleTimeoutMs: 300 })) got.push(e);
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StreamIdleTimeoutError);
    expect(got).toHaveLength(1);
    expect((err as StreamIdleTimeoutError).lastEventId).toBe(got[0].id);
    expect((err as Error).message).toMatch(/300 ms \(idleTimeoutMs\)/);
  });

  test("ends on break, on abort, and when the session is terminated", async () => {
    const c = h.client();
    const { session } = await setup(c);
    const [sent] = await c.sessions.events.send(session.id, [userMessage("[[say:a]]")]);
    let n = 0;
    for await (const _ of c.sessions.events.stream(session.id, { after: sent.id })) if (++n === 2) break;
    expect(n).toBe(2);

    const ac = new AbortController();
    const seen: string[] = [];
    for await (const e of c.sessions.events.stream(session.id, { after: sent.id, signal: ac.signal })) {
      seen.push(e.type);
      if (e.type === "session.status_idle") ac.abort(); // no more events will come: abort ends the wait quietly
    }
    expect(seen.at(-1)).toBe("session.status_idle");

    const [bye] = await c.sessions.events.send(session.id, [userMessage("[[terminate]]")]);
    const tail: string[] = [];
    for await (const e of c.sessions.events.stream(session.id, { after: bye.id })) tail.push(e.type);
    expect(tail.slice(-2)).toEqual(["session.error", "session.status_terminated"]);
    expect((await c.sessions.get(session.id)).status).toBe("terminated");
  });
});
