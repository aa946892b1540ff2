import {
  APIConnectionError,
  APITimeoutError,
  APIUserAbortError,
  BadRequestError,
  ConflictError,
  InternalServerError,
  NotFoundError,
  RateLimitError,
} from "../../sdk";
import { agent, apiError, useFakeServer } from "./sdk-fake-server";

const s = useFakeServer();

const unavailable = apiError(503, "api_error", "busy");
const retries = () => s.events.filter((e) => e.kind === "retry");

describe("retries", () => {
  test("GET is retried on 503 and succeeds, counting attempts in X-Qoder-Retry-Count", async () => {
    s.reply(unavailable, unavailable, { json: agent() });
    const a = await s.client().agents.get("agent_1");
    expect(a.id).toBe("agent_1");
    expect(s.requests.map((r) => r.headers["x-qoder-retry-count"])).toEqual(["0", "1", "2"]);
    expect(s.events.map((e) => `${e.kind}:${e.attempt}:${e.status ?? ""}`)).toEqual([
      "request:0:", "response:0:503", "retry:0:503", "request:1:", "response:1:503", "retry:1:503", "request:2:", "response:2:200",
    ]);
    expect(s.events.every((e) => e.method === "GET" && e.path === "/agents/agent_1")).toBe(true);
  });

  test("gives up after maxRetries (3) with the last typed error; delays follow 1×, 2×, 4× the base", async () => {
    s.fallback = unavailable;
    const err = await s.client({ retryBaseDelayMs: 20 }).agents.get("agent_1").catch((e) => e);
    expect(err).toBeInstanceOf(InternalServerError);
    expect(s.requests).toHaveLength(4);
    const delays = retries().map((e) => e.delayMs!);
    expect(delays).toHaveLength(3);
    delays.forEach((d, i) => {
      // base·2^i with at most 25 % jitter downwards
      expect(d).toBeLessThanOrEqual(20 * 2 ** i);
      expect(d).toBeGreaterThanOrEqual(0.75 * 20 * 2 ** i);
    });
  });

  test("maxRetries is overridable per client and per request", async () => {
    s.fallback = unavailable;
    await expect(s.client({ maxRetries: 1 }).agents.get("x")).rejects.toBeInstanceOf(InternalServerError);
    expect(s.requests).toHaveLength(2);
    await expect(s.client().agents.get("x", undefined, { maxRetries: 0 })).rejects.toBeInstanceOf(InternalServerError);
    expect(s.requests).toHaveLength(3);
  });

  test("429 is retried and Retry-After (seconds) is honoured, capped at maxRetryDelayMs", async () => {
    s.reply({ status: 429, headers: { "retry-after": "5" } }, { json: agent() });
    const started = Date.now();
    await s.client({ maxRetryDelayMs: 80 }).agents.get("agent_1");
    expect(retries()[0]).toMatchObject({ status: 429, delayMs: 80 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(75);
    expect(s.requests).toHaveLength(2);
  });

  test("retry-after-ms wins, and an HTTP-date Retry-After is understood", async () => {
    s.reply({ status: 429, headers: { "retry-after-ms": "30", "retry-after": "9" } }, { status: 503, headers: { "retry-after": new Date(Date.now() + 60_000).toUTCString() } }, { json: agent() });
    await s.client({ maxRetryDelayMs: 50 }).agents.get("agent_1");
    expect(retries().map((e) => e.delayMs)).toEqual([30, 50]);
  });

  test("a connection reset is retried for GET", async () => {
    s.reply({ reset: true }, { reset: true }, { json: agent() });
    await expect(s.client().agents.get("agent_1")).resolves.toMatchObject({ id: "agent_1" });
    expect(s.requests).toHaveLength(3);
  });

  test("a persistent reset surfaces as APIConnectionError", async () => {
    s.fallback = { reset: true };
    const err = await s.client({ maxRetries: 1 }).agents.get("a").catch((e) => e);
    expect(err).toBeInstanceOf(APIConnectionError);
    expect(err.message).toMatch(/^GET \/agents\/a failed/);
    expect(s.requests).toHaveLength(2);
  });

  test("DELETE is retried (replay-safe)", async () => {
    s.reply(unavailable, { status: 204 });
    await s.client().environments.delete("env_1");
    expect(s.requests.map((r) => r.method)).toEqual(["DELETE", "DELETE"]);
  });

  test("a POST without Idempotency-Key is never retried", async () => {
    s.fallback = unavailable;
    await expect(s.client().memoryStores.update("memstore_1", { name: "x" })).rejects.toBeInstanceOf(InternalServerError);
    s.fallback = { reset: true };
    await expect(s.client().memoryStores.update("memstore_1", { name: "x" })).rejects.toBeInstanceOf(APIConnectionError);
    expect(s.requests).toHaveLength(2);
    expect(s.requests[0]!.headers["idempotency-key"]).toBeUndefined();
  });

  test("PUT updates are not retried unless the caller passes a key", async () => {
    s.fallback = unavailable;
    await expect(s.client().agents.update("agent_1", { version: 1, name: "n" })).rejects.toBeInstanceOf(InternalServerError);
    expect(s.requests).toHaveLength(1);
    s.reply(unavailable, { json: agent("agent_1", { version: 2 }) });
    await s.client().agents.update("agent_1", { version: 1 }, { idempotencyKey: "k-upd" });
    expect(s.requests.slice(1).map((r) => r.headers["idempotency-key"])).toEqual(["k-upd", "k-upd"]);
  });

  test("with idempotentWrites, updates carry a key and transient failures are retried under it", async () => {
    s.reply(unavailable, { reset: true }, { json: agent("agent_1", { version: 2 }) });
    await s.client({ idempotentWrites: true }).agents.update("agent_1", { version: 1, name: "n" });
    const keys = s.requests.map((r) => r.headers["idempotency-key"]);
    expect(keys).toHaveLength(3);
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).toBeDefined();
  });

  test("creates carry a UUID v4 Idempotency-Key, reused by every retry of that request", async () => {
    s.reply(unavailable, { reset: true }, { status: 201, json: agent() });
    await s.client().agents.create({ name: "a", model: "ultimate" });
    const keys = s.requests.map((r) => r.headers["idempotency-key"]);
    expect(keys).toHaveLength(3);
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  test("each logical create gets its own key; a caller key is used as given", async () => {
    s.fallback = { status: 201, json: agent() };
    const c = s.client();
    await c.agents.create({ name: "a", model: "m" });
    await c.agents.create({ name: "a", model: "m" });
    await c.agents.create({ name: "a", model: "m" }, { idempotencyKey: "mine" });
    const [k1, k2, k3] = s.requests.map((r) => r.headers["idempotency-key"]);
    expect(k1).not.toBe(k2);
    expect(k3).toBe("mine");
  });

  test("every create endpoint sends a key", async () => {
    const c = s.client();
    const ok = (json: unknown) => ({ status: 201, json });
    const base = { created_at: "t", updated_at: "t", metadata: {} };
    s.reply(
      ok({ ...base, id: "env_1", name: "e", config: { type: "cloud" } }),
      ok({ ...base, id: "skill_1", name: "s", version: 1 }),
      ok({ ...base, id: "vault_1", display_name: "v" }),
      ok({ ...base, id: "vcred_1" }),
      ok({ ...base, id: "memstore_1", name: "m" }),
      ok({ ...base, id: "mem_1", path: "p", version: 1 }),
    );
    await c.environments.create({ name: "e", config: { type: "cloud" } });
    await c.skills.create({ file: new Uint8Array([80, 75]) });
    await c.vaults.create({ display_name: "v" });
    await c.vaults.credentials.create("vault_1", { mcp_server_url: "https://x", protocol: "sse", type: "static_bearer", access_token: "t" });
    await c.memoryStores.create({ name: "m", description: "d" });
    await c.memoryStores.memories.create("memstore_1", { path: "p", content: "c" });
    expect(s.requests.every((r) => typeof r.headers["idempotency-key"] === "string")).toBe(true);
  });

  test("409 is never retried, even for a keyed create", async () => {
    s.fallback = apiError(409, "conflict_error", "Idempotency key reused with a different request body.");
    const err = await s.client().agents.create({ name: "a", model: "m" }).catch((e) => e);
    expect(err).toBeInstanceOf(ConflictError);
    expect(s.requests).toHaveLength(1);
  });

  test("other 4xx are not retried", async () => {
    s.reply(apiError(404, "not_found_error", "Agent 'x' was not found."), apiError(400, "invalid_request_error", "bad"));
    await expect(s.client().agents.get("x")).rejects.toBeInstanceOf(NotFoundError);
    await expect(s.client().agents.create({ name: "", model: "m" })).rejects.toBeInstanceOf(BadRequestError);
    expect(s.requests).toHaveLength(2);
  });

  test("x-should-retry: false stops a retry the status would allow", async () => {
    s.fallback = { status: 429, headers: { "x-should-retry": "false" } };
    await expect(s.client().agents.get("a")).rejects.toBeInstanceOf(RateLimitError);
    expect(s.requests).toHaveLength(1);
  });
});

describe("timeouts and aborts", () => {
  test("each attempt times out; APITimeoutError after retries", async () => {
    s.fallback = { delayMs: 300, json: agent() };
    const err = await s.client({ timeoutMs: 40, maxRetries: 1 }).agents.get("a").catch((e) => e);
    expect(err).toBeInstanceOf(APITimeoutError);
    expect(err.message).toBe("GET /agents/a timed out after 40 ms");
    expect(s.requests).toHaveLength(2);
  });

  test("per-request timeoutMs overrides the client default; a timed-out attempt is then retried", async () => {
    s.reply({ delayMs: 300, json: agent() }, { json: agent() });
    await expect(s.client().agents.get("a", undefined, { timeoutMs: 40 })).resolves.toMatchObject({ id: "agent_1" });
    expect(s.requests).toHaveLength(2);
  });

  test("a caller abort is not retried", async () => {
    s.fallback = { delayMs: 300, json: agent() };
    const ctl = new AbortController();
    setTimeout(() => ctl.abort(), 30);
    await expect(s.client().agents.get("a", undefined, { signal: ctl.signal })).rejects.toBeInstanceOf(APIUserAbortError);
    expect(s.requests).toHaveLength(1);
  });
});
