// Transport behaviour against the emulator's gateway faults (PUT /_emulator/faults).
import { APIConnectionError, APIError, InternalServerError, NotFoundError, RateLimitError, RequestTooLargeError, ResponseValidationError, BadRequestError } from "../../sdk";
import { expectError, useEmulator } from "./client-harness";

const h = useEmulator();
afterEach(() => h.faults({}));

test("models.list returns the enabled catalogue", async () => {
  const models = await h.client().models.list();
  expect(models.map((m) => m.id)).toEqual(expect.arrayContaining(["ultimate", "auto"]));
});

test("a 429 burst is ridden out with Retry-After, and a keyed create is replayed once", async () => {
  const c = h.client();
  await h.faults({ burst: { count: 2 }, retryAfterSeconds: 0 });
  const mark = await h.mark();
  const a = await c.agents.create({ name: "burst", model: "auto" });
  const log = await h.since(mark, "POST /agents");
  expect(log.map((l) => l.status)).toEqual([429, 429, 201]);
  expect(new Set(log.map((l) => l.idempotencyKey)).size).toBe(1);
  const named = (await c.agents.list().toArray()).filter((x) => x.name === "burst");
  expect(named.map((x) => x.id)).toEqual([a.id]);
});

test("persistent 503 → InternalServerError after 1 + maxRetries attempts", async () => {
  await h.faults({ errorRate: 1, errorStatus: 503 });
  const mark = await h.mark();
  await expectError(() => h.client().agents.list().toArray(), InternalServerError, { status: 503, type: "api_error" });
  expect(await h.since(mark, "GET /agents")).toHaveLength(4);
});

test("429 without a key on a non-create POST is not retried", async () => {
  const c = h.client();
  const s = await c.memoryStores.create({ name: "m", description: "d" });
  await h.faults({ errorRate: 1, errorStatus: 429, retryAfterSeconds: 0 });
  const mark = await h.mark();
  await expectError(() => c.memoryStores.update(s.id, { name: "n" }), RateLimitError, { status: 429, type: "rate_limit_error" });
  expect(await h.since(mark, "POST /memory_stores/{id}")).toHaveLength(1);
});

test("connection resets are retried; a persistent reset surfaces as APIConnectionError", async () => {
  await h.faults({ resetRate: 1 });
  await expect(h.client({ maxRetries: 2 }).agents.list().toArray()).rejects.toBeInstanceOf(APIConnectionError);
  await h.faults({ resetRate: 0.5, seed: 7 });
  await expect(h.client({ maxRetries: 10 }).environments.list().toArray()).resolves.toEqual(expect.any(Array));
});

test("a malformed 200 body → ResponseValidationError", async () => {
  await h.faults({ malformedRate: 1 });
  const err = await h.client().agents.get("agent_x").catch((e) => e);
  expect(err).toBeInstanceOf(ResponseValidationError);
  expect(err.path).toBe("(body)");
});

test("per-attempt timeout against injected latency", async () => {
  await h.faults({ latencyMs: 200 });
  const err = await h.client({ timeoutMs: 50, maxRetries: 1 }).agents.list().toArray().catch((e) => e);
  expect(err.name).toBe("APITimeoutError");
});

test("bodies over 4 MB: refused client-side by default, and the server's 400 when the client limit is raised", async () => {
  const c = h.client();
  const mark = await h.mark();
  const huge = "x".repeat(4 * 1024 * 1024 + 10);
  await expect(c.agents.create({ name: "big", model: "auto", system: huge })).rejects.toBeInstanceOf(RequestTooLargeError);
  expect(await h.since(mark, "POST /agents")).toHaveLength(0);
  const err = await expectError(() => h.client({ maxBodyBytes: 8 * 1024 * 1024 }).agents.create({ name: "big", model: "auto", system: huge }), BadRequestError, { status: 400, type: "invalid_request_error" });
  expect(err.serverMessage).toBe("Request body must be valid JSON.");
});

describe("what a 404 from the emulator means", () => {
  test("an unknown object is NotFoundError; the same call below the wrong base URL is EndpointNotFoundError", async () => {
    const missing = `agent_${"0".repeat(32)}`;
    await expectError(() => h.client().agents.get(missing), NotFoundError, { status: 404, type: "not_found_error" });
    for (const baseUrl of [h.emu.origin, `${h.emu.origin}/api/v2/cloud`]) {
      const err = await h.client({ baseUrl, maxRetries: 0 }).agents.get(missing).catch((e) => e);
      expect(err).not.toBeInstanceOf(NotFoundError);
      expect(err).toBeInstanceOf(APIError);
      expect(err).toMatchObject({ name: "EndpointNotFoundError", status: 404 });
      expect(err.message).toContain(`GET ${baseUrl}/agents/${missing}`);
      expect(err.message).toMatch(/end in \/api\/v1\/cloud/);
    }
  });
});
