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
import { TOKEN, agent, apiError, page, useFakeServer } from "./sdk-fake-server";

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
    s.fallback = type ? apiError(status, type, "Agent 'a' was not found.") : { status, text: "<html>bad gateway</html>" };
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

describe("a 404 is NotFoundError only when it is the API's own not-found for the object", () => {
  test("the envelope naming the object, or its parent, → NotFoundError", async () => {
    s.reply(apiError(404, "not_found_error", "Agent 'agent_1' was not found."), apiError(404, "not_found_error", "Vault 'vault_1' was not found."));
    const c = s.client();
    await expect(c.agents.get("agent_1")).rejects.toBeInstanceOf(NotFoundError);
    await expect(c.vaults.credentials.get("vault_1", "vcred_1")).rejects.toBeInstanceOf(NotFoundError);
  });

  test.each([
    ["the router's envelope (no object named)", apiError(404, "not_found_error", "Route GET /agents/agent_1 was not found.")],
    ["an envelope naming another object", apiError(404, "not_found_error", "Agent 'agent_2' was not found.")],
    ["a bare not_found_error without the envelope", { status: 404, json: { type: "not_found_error", message: "Agent 'agent_1' was not found." } }],
    ["another error type", apiError(404, "invalid_request_error", "Agent 'agent_1' was not found.")],
    ["an HTML page", { status: 404, text: "<html><body>404 Not Found</body></html>" }],
    ["an empty body", { status: 404 }],
  ])("%s → EndpointNotFoundError naming the URL and the usual mistakes", async (_what, reply) => {
    s.reply(reply);
    const err = await s.client().agents.get("agent_1").catch((e) => e);
    expect(err).not.toBeInstanceOf(NotFoundError);
    expect(err).toBeInstanceOf(APIError);
    expect(err.name).toBe("EndpointNotFoundError");
    expect(err.status).toBe(404);
    expect(err.message).toContain(`GET ${s.url}/api/v1/cloud/agents/agent_1`);
    expect(err.message).toMatch(/end in \/api\/v1\/cloud/);
    expect(err.message).toMatch(/region/);
    expect(s.requests).toHaveLength(1); // not retried
  });
});

describe("redaction of the token and of any Bearer credential", () => {
  const OTHER = "eyJhbGciOiJIUzI1NiJ9.gateway-secret";

  test("a gateway echoing the Authorization header in an error body", async () => {
    const echo = `upstream refused: authorization=Bearer ${TOKEN}; x-forwarded-auth: Bearer ${OTHER}; raw ${TOKEN}`;
    s.reply(
      { status: 502, json: { type: "error", error: { type: "api_error", message: echo }, headers: { authorization: `Bearer ${TOKEN}` } } },
      { status: 400, text: `<pre>${echo}</pre>` },
    );
    const c = s.client({ maxRetries: 0 });
    const jsonErr = await c.agents.get("a").catch((e) => e);
    const textErr = await c.agents.get("a").catch((e) => e);
    for (const err of [jsonErr, textErr]) {
      for (const out of [err.message, err.serverMessage, err.stack, JSON.stringify(err.body), inspect(err, { depth: Infinity }), JSON.stringify(err)]) {
        expect(out).not.toContain(TOKEN);
        expect(out).not.toContain(OTHER);
      }
      expect(err.message).toContain("Bearer [REDACTED]");
    }
    expect(jsonErr.message).toBe("502 api_error: upstream refused: authorization=Bearer [REDACTED]; x-forwarded-auth: Bearer [REDACTED]; raw [REDACTED]");
  });

  test("a token read from QODER_PAT is redacted as well", async () => {
    const saved = process.env.QODER_PAT;
    process.env.QODER_PAT = "pt-env-SECRET-0987654321";
    try {
      s.reply(apiError(401, "authentication_error", "token pt-env-SECRET-0987654321 is revoked"));
      const c = new QoderClient({ baseUrl: `${s.url}/api/v1/cloud`, maxRetries: 0 });
      const err = await c.agents.get("a").catch((e) => e);
      expect(err.message).toBe("401 authentication_error: token [REDACTED] is revoked");
    } finally {
      if (saved === undefined) delete process.env.QODER_PAT;
      else process.env.QODER_PAT = saved;
    }
  });
});

describe("checkApi: does the base URL answer like the Qoder API?", () => {
  test("a list, or a Qoder error envelope other than 404, passes; the answer is kept for the client's life", async () => {
    s.reply({ json: page([], false) });
    const c = s.client();
    await c.checkApi();
    await c.checkApi();
    expect(s.requests.map((r) => `${r.method} ${r.path}?${r.query}`)).toEqual(["GET /agents?limit=1"]);
    s.reply(apiError(403, "permission_error", "You do not have permission to access this resource."));
    await expect(s.client().checkApi()).resolves.toBeUndefined();
  });

  test("a router 404 or a foreign answer fails, and a failure is not kept", async () => {
    s.reply(apiError(404, "not_found_error", "Route GET /agents was not found."), { status: 200, text: "<html>welcome</html>" }, { json: page([], false) });
    const c = s.client();
    await expect(c.checkApi()).rejects.toMatchObject({ name: "EndpointNotFoundError" });
    await expect(c.checkApi()).rejects.toMatchObject({ name: "ResponseValidationError" });
    await expect(c.checkApi()).resolves.toBeUndefined();
  });
});
