import { inspect } from "node:util";
import {
  APIError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  InternalServerError,
  MissingTokenError,
  NotFoundError,
  PermissionDeniedError,
  QoderClient,
  QoderError,
  RateLimitError,
  RequestTooLargeError,
} from "../../sdk";
import { TOKEN, agent, apiError, useFakeServer } from "./sdk-fake-server";

const s = useFakeServer();

describe("typed API errors", () => {
  test("fields come from the error envelope and the x-request-id header", async () => {
    s.reply({ ...apiError(400, "invalid_request_error", "Missing required field: name", "name"), headers: { "x-request-id": "req_hdr" } });
    const err = await s.client().agents.create({ model: "m" } as never).catch((e) => e);
    expect(err).toBeInstanceOf(BadRequestError);
    expect(err).toBeInstanceOf(APIError);
    expect(err).toBeInstanceOf(QoderError);
    expect(err).toMatchObject({ status: 400, type: "invalid_request_error", param: "name", requestId: "req_hdr", serverMessage: "Missing required field: name" });
    expect(err.body).toEqual({ type: "error", error: { type: "invalid_request_error", message: "Missing required field: name", param: "name" } });
    expect(err.message).toBe("400 invalid_request_error: Missing required field: name (param name, request req_hdr)");
  });

  test("request id falls back to the body's request_id", async () => {
    s.reply({ status: 409, json: { type: "error", error: { type: "conflict_error", message: "Version conflict" }, request_id: "req_body" } });
    const err = await s.client().agents.update("agent_1", { version: 3 }).catch((e) => e);
    expect(err).toBeInstanceOf(ConflictError);
    expect(err.requestId).toBe("req_body");
    expect(err.message).toBe("409 conflict_error: Version conflict (request req_body)");
  });

  test.each([
    [401, AuthenticationError, "authentication_error"],
    [403, PermissionDeniedError, "permission_error"],
    [404, NotFoundError, "not_found_error"],
    [409, ConflictError, "conflict_error"],
    [429, RateLimitError, undefined],
    [500, InternalServerError, "api_error"],
    [502, InternalServerError, undefined],
  ])("status %d maps to its class", async (status, Ctor, type) => {
    s.fallback = type ? apiError(status, type, "m") : { status, text: "<html>bad gateway</html>" };
    const err = await s.client({ maxRetries: 0 }).agents.get("a").catch((e) => e);
    expect(err).toBeInstanceOf(Ctor);
    expect(err.status).toBe(status);
    expect(err.type).toBe(type);
  });

  test("an unexpected 4xx is a plain APIError; an empty body still yields a useful message", async () => {
    s.reply({ status: 422 }, { status: 429 });
    const err = await s.client().agents.get("a").catch((e) => e);
    expect(err.constructor).toBe(APIError);
    expect(err.message).toBe("422 error: GET /agents/a failed");
    const rl = await s.client({ maxRetries: 0 }).agents.get("a").catch((e) => e);
    expect(rl.message).toBe("429 error: GET /agents/a failed");
  });
});

describe("client-side refusals", () => {
  test("a body over maxBodyBytes is refused before anything is sent", async () => {
    const big = "x".repeat(5.2 * 1024 * 1024);
    const err = await s.client().agents.create({ name: "a", model: "m", system: big }).catch((e) => e);
    expect(err).toBeInstanceOf(RequestTooLargeError);
    expect(err.limit).toBe(4 * 1024 * 1024);
    expect(err.size).toBeGreaterThan(5.2 * 1024 * 1024);
    expect(err.message).toBe("request body is 5.2 MB, over the 4 MB limit (maxBodyBytes)");
    await expect(s.client({ maxBodyBytes: 100 }).skills.create({ file: new Uint8Array(200) })).rejects.toBeInstanceOf(RequestTooLargeError);
    expect(s.requests).toHaveLength(0);
  });

  test("no token → MissingTokenError naming QODER_PAT, at request time, with nothing sent", async () => {
    const saved = process.env.QODER_PAT;
    delete process.env.QODER_PAT;
    try {
      const c = new QoderClient({ baseUrl: s.url });
      const err = await c.agents.get("a").catch((e) => e);
      expect(err).toBeInstanceOf(MissingTokenError);
      expect(err.message).toContain("QODER_PAT");
      expect(s.requests).toHaveLength(0);
    } finally {
      if (saved !== undefined) process.env.QODER_PAT = saved;
    }
  });

  test("QODER_PAT and QODER_BASE_URL are the defaults", async () => {
    const saved = { pat: process.env.QODER_PAT, url: process.env.QODER_BASE_URL };
    process.env.QODER_PAT = "pt-from-env";
    process.env.QODER_BASE_URL = `${s.url}/api/v1/cloud/`;
    try {
      s.reply({ json: agent() });
      const c = new QoderClient({ dispatcher: undefined, retryBaseDelayMs: 1 });
      expect(c.baseUrl).toBe(`${s.url}/api/v1/cloud`);
      await c.agents.get("agent_1");
      expect(s.requests[0]!.headers.authorization).toBe("Bearer pt-from-env");
      delete process.env.QODER_BASE_URL;
      expect(new QoderClient().baseUrl).toBe("https://api.qoder.com.cn/api/v1/cloud");
      expect(new QoderClient({ baseUrl: "global" }).baseUrl).toBe("https://api.qoder.com/api/v1/cloud");
      expect(() => new QoderClient({ baseUrl: "ftp://x" })).toThrow(/invalid baseUrl/);
    } finally {
      for (const [k, v] of [["QODER_PAT", saved.pat], ["QODER_BASE_URL", saved.url]] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });
});

describe("token safety", () => {
  test("the token is sent as a Bearer header and nowhere else", async () => {
    s.reply({ json: agent() });
    await s.client().agents.get("agent_1");
    const h = s.requests[0]!.headers;
    expect(h.authorization).toBe(`Bearer ${TOKEN}`);
    expect(h["user-agent"]).toMatch(/^pulumi-qoder\/\d+\.\d+\.\d+/);
    expect(s.requests[0]!.path).toBe("/agents/agent_1");
    expect(s.requests[0]!.query.toString()).toBe("");
  });

  test("the token never appears in errors, inspect/JSON output or debug events", async () => {
    s.reply(apiError(401, "authentication_error", "Invalid API key or token."));
    const c = s.client({ maxRetries: 0, defaultHeaders: { "X-Trace": "t" } });
    const apiErr = await c.agents.get("a").catch((e) => e);
    s.fallback = { reset: true };
    const connErr = await c.agents.get("a").catch((e) => e);
    const tooBig = await s.client({ maxBodyBytes: 1 }).agents.create({ name: "a", model: "m" }).catch((e) => e);
    const dumps = [
      inspect(c, { depth: Infinity, showHidden: true }),
      // The resources hold the transport: inspect them without the client's custom inspector.
      ...Object.values(c).map((r) => inspect(r, { depth: Infinity, showHidden: true })),
      JSON.stringify(c),
      String(c),
      JSON.stringify(s.events),
      ...[apiErr, connErr, tooBig].flatMap((e) => [e.message, e.stack, inspect(e, { depth: Infinity }), JSON.stringify(e)]),
    ];
    for (const d of dumps) expect(d).not.toContain(TOKEN);
    expect(inspect(c)).toBe(`QoderClient { baseUrl: '${s.url}/api/v1/cloud' }`);
    expect(connErr.constructor.name).toBe("APIConnectionError");
  });
});
