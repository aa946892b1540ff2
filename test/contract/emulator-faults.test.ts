import { errorOf, useEmulator } from "../../testkit/emulator-http";

const t = useEmulator();
const { api, admin: adminApi } = t;
beforeEach(async () => {
  await adminApi("POST", "/reset");
});

const setFaults = async (cfg: Record<string, unknown>) => {
  const res = await adminApi("PUT", "/faults", cfg);
  expect(res.status).toBe(200);
  return res.body;
};
const stats = async () => (await adminApi("GET", "/stats")).body;
const agentCount = async () => Object.keys((await adminApi("GET", "/state")).body.agents).length;

describe("faults", () => {
  test("errorRate 1 → 503 before execution; cleared with {}", async () => {
    expect(await setFaults({ errorRate: 1, retryAfterSeconds: 2 })).toEqual({ errorRate: 1, retryAfterSeconds: 2 });
    const res = await api("POST", "/agents", { name: "x", model: "auto" });
    expect(errorOf(res)).toMatchObject({ status: 503, type: "api_error" });
    expect(res.headers.get("retry-after")).toBe("2");
    expect(await agentCount()).toBe(0);
    // admin endpoints are never faulted
    expect((await adminApi("GET", "/stats")).status).toBe(200);
    expect(await setFaults({})).toEqual({});
    expect((await api("POST", "/agents", { name: "x", model: "auto" })).status).toBe(201);
    const { log } = await stats();
    expect(log.map((e: { status: number; fault?: string }) => [e.status, e.fault])).toEqual([
      [503, "503"],
      [201, undefined],
    ]);
  });

  test("errorStatus 429 and method filter", async () => {
    await setFaults({ errorRate: 1, errorStatus: 429, methods: ["post"] });
    expect(errorOf(await api("POST", "/agents", { name: "x", model: "auto" }))).toMatchObject({ status: 429 });
    expect((await api("GET", "/agents")).status).toBe(200);
  });

  test("burst: the next n requests get 429 + Retry-After", async () => {
    await setFaults({ burst: { count: 2 } });
    const statuses = [];
    for (let i = 0; i < 3; i++) {
      const res = await api("GET", "/agents");
      statuses.push([res.status, res.headers.get("retry-after")]);
    }
    expect(statuses).toEqual([
      [429, "1"],
      [429, "1"],
      [200, null],
    ]);
    expect((await adminApi("GET", "/faults")).body).toEqual({ burst: { count: 0 } });
    expect((await stats()).log.map((e: { fault?: string }) => e.fault)).toEqual(["burst", "burst", undefined]);
  });

  test("reset destroys the connection without a response and without effect", async () => {
    await setFaults({ resetRate: 1 });
    await expect(api("POST", "/agents", { name: "x", model: "auto" })).rejects.toThrow();
    await setFaults({});
    expect(await agentCount()).toBe(0);
    expect((await stats()).log[0]).toMatchObject({ method: "POST", route: "/agents", status: 0, fault: "reset" });
  });

  test("latency delays the answer; the request is counted on arrival", async () => {
    await setFaults({ latencyMs: 150 });
    const t0 = Date.now();
    const pending = api("GET", "/agents");
    await new Promise((r) => setTimeout(r, 50));
    expect((await stats()).log).toEqual([expect.objectContaining({ route: "/agents", status: 0 })]);
    expect((await pending).status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    expect((await stats()).log[0]).toMatchObject({ status: 200, fault: "latency" });
  });

  test("malformed answers are 200 with an unparseable body", async () => {
    await setFaults({ malformedRate: 1 });
    const res = await api("GET", "/agents");
    expect(res.status).toBe(200);
    expect(() => JSON.parse(res.text)).toThrow();
  });

  test("seeded error rates are reproducible", async () => {
    const run = async () => {
      await setFaults({ errorRate: 0.5, seed: 42 });
      const out = [];
      for (let i = 0; i < 10; i++) out.push((await api("GET", "/models")).status);
      return out;
    };
    const a = await run();
    expect(await run()).toEqual(a);
    expect(a).toContain(503);
    expect(a).toContain(200);
  });

  test("invalid fault config → 400", async () => {
    for (const cfg of [{ errorRate: 2 }, { errorStatus: 500 }, { burst: { count: -1 } }, { methods: "GET" }, { latencyMs: "x" }]) {
      expect(errorOf(await adminApi("PUT", "/faults", cfg))).toMatchObject({ status: 400, type: "invalid_request_error" });
    }
  });
});

describe("stats and reset", () => {
  test("counters by method and route template; stats/reset zeroes only the counters", async () => {
    const { body: agent } = await api("POST", "/agents", { name: "s", model: "auto" }, { "Idempotency-Key": "key-1" });
    await api("GET", `/agents/${agent.id}`);
    await api("GET", "/agents/agent_missing");
    await api("DELETE", `/agents/${agent.id}`);
    const s = await stats();
    expect(s).toMatchObject({
      total: 4,
      writes: 2,
      byMethod: { GET: 2, POST: 1, DELETE: 1 },
      byRoute: { "POST /agents": { "201": 1 }, "GET /agents/{id}": { "200": 1, "404": 1 }, "DELETE /agents/{id}": { "200": 1 } },
    });
    expect(s.log[0]).toEqual({ seq: 1, time: expect.any(Number), method: "POST", route: "/agents", path: "/agents", status: 201, idempotencyKey: "key-1" });
    expect(s.log[1].path).toBe(`/agents/${agent.id}`);

    await api("POST", "/agents", { name: "kept", model: "auto" });
    expect((await adminApi("POST", "/stats/reset")).status).toBe(200);
    expect(await stats()).toEqual({ total: 0, byMethod: {}, byRoute: {}, writes: 0, log: [] });
    expect(await agentCount()).toBe(1);
  });

  test("reset returns to the starting state", async () => {
    await api("POST", "/agents", { name: "gone", model: "auto" });
    await setFaults({ latencyMs: 1 });
    expect((await adminApi("POST", "/reset")).body).toEqual({ ok: true });
    expect((await api("GET", "/agents")).body).toEqual({ data: [], first_id: null, last_id: null, has_more: false });
    expect((await adminApi("GET", "/faults")).body).toEqual({});
    expect((await stats()).total).toBe(1);
    const envs = (await api("GET", "/environments")).body.data;
    expect(envs.map((e: { name: string }) => e.name)).toEqual(["default"]);
  });

  test("unknown admin route → 404", async () => {
    expect(errorOf(await adminApi("GET", "/nope"))).toMatchObject({ status: 404, type: "not_found_error" });
  });
});
