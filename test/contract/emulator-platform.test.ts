import { randomBytes } from "node:crypto";
import { createZip } from "../../emulator";
import { apiClient, errorOf, useEmulator } from "../../testkit/emulator-http";

const t = useEmulator({ bodyLimit: 64 * 1024, idempotencyTtlMs: 300 });
const { api } = t;

const newAgent = (name: string) => api("POST", "/agents", { name, model: "auto" });
const ids = (res: { body: { data: { id: string }[] } }) => res.body.data.map((x) => x.id);

describe("authentication", () => {
  test.each([
    ["no header", {}],
    ["wrong token", { authorization: "Bearer pt-wrong" }],
    ["x-api-key", { "x-api-key": "pt-emulator-dev-token" }],
    ["not bearer", { authorization: "pt-emulator-dev-token" }],
  ])("%s → 401", async (_name, headers) => {
    const res = await apiClient(t.emu.baseUrl)("GET", "/agents", undefined, headers as Record<string, string>);
    expect(res.body).toEqual({
      type: "error",
      error: { type: "authentication_error", message: "Invalid API key or token." },
      request_id: res.headers.get("x-request-id"),
    });
    expect(res.status).toBe(401);
  });
});

describe("envelope, ids, routing", () => {
  test("x-request-id on every response and request_id in error bodies", async () => {
    const ok = await api("GET", "/models");
    expect(ok.headers.get("x-request-id")).toMatch(/^req_[0-9a-f]+$/);
    const err = await api("GET", "/agents/agent_missing");
    expect(err.body.request_id).toBe(err.headers.get("x-request-id"));
    expect(err.headers.get("x-request-id")).not.toBe(ok.headers.get("x-request-id"));
  });

  test("ids sort newest first and timestamps are ISO UTC with µs", async () => {
    const made = [];
    for (let i = 0; i < 5; i++) made.push((await newAgent(`sort-${i}`)).body);
    const sorted = made.map((a) => a.id).sort().reverse();
    expect(sorted).toEqual(made.map((a) => a.id).reverse());
    for (const a of made) expect(a.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?Z$/);
  });

  test("unknown route → 404, wrong method → 405 with Allow", async () => {
    expect(errorOf(await api("GET", "/nope"))).toMatchObject({ status: 404, type: "not_found_error" });
    expect(errorOf(await apiClient(t.emu.origin, t.emu.token)("GET", "/v2/agents"))).toMatchObject({ status: 404, type: "not_found_error" });
    const wrong = await api("PATCH", "/agents");
    expect(errorOf(wrong)).toMatchObject({ status: 405, type: "invalid_request_error" });
    expect(wrong.headers.get("allow")).toBe("POST, GET");
  });

  test("models catalogue", async () => {
    const res = await api("GET", "/models");
    expect(Object.keys(res.body)).toEqual(["data", "has_more"]);
    expect(res.body.has_more).toBe(false);
    expect(res.body.data.map((m: { id: string }) => m.id)).toEqual(["ultimate", "performance", "efficient", "lite", "auto"]);
    expect(res.body.data[0]).toMatchObject({
      type: "model",
      efforts: ["low", "medium", "high", "xhigh", "max"],
      default_effort: "medium",
      available_context_windows: [200000, 1000000],
    });
    expect(res.body.data[4]).not.toHaveProperty("efforts");
  });
});

describe("body limit and JSON", () => {
  test("malformed JSON and oversized bodies → 400 'Request body must be valid JSON.'", async () => {
    const expected = { status: 400, type: "invalid_request_error", message: "Request body must be valid JSON." };
    expect(errorOf(await api("POST", "/agents", "{not json"))).toMatchObject(expected);
    const big = { name: "big", model: "auto", system: "x".repeat(70 * 1024) };
    expect(errorOf(await api("POST", "/agents", big))).toMatchObject(expected);
    const fits = { name: "fits", model: "auto", system: "x".repeat(60 * 1024) };
    expect((await api("POST", "/agents", fits)).status).toBe(201);
    expect(errorOf(await api("POST", "/agents", "[1,2]"))).toMatchObject({ status: 400, type: "invalid_request_error" });
  });

  test("an oversized skill upload is cut too → the multipart 400", async () => {
    const form = new FormData();
    const zip = createZip({ "SKILL.md": "---\nname: big\n---\n", "blob.bin": randomBytes(80 * 1024) });
    form.append("file", new Blob([new Uint8Array(zip)]), "big.zip");
    expect(errorOf(await api("POST", "/skills", form))).toMatchObject({
      status: 400,
      type: "invalid_request_error",
      message: "Invalid multipart form or request too large.",
    });
  });
});

describe("pagination", () => {
  let made: string[];
  beforeAll(async () => {
    await t.admin("POST", "/reset");
    made = [];
    for (let i = 0; i < 5; i++) made.unshift((await newAgent(`p-${i}`)).body.id); // newest first
  });

  test("descending order, limit, after_id/before_id and their aliases", async () => {
    const page1 = await api("GET", "/agents?limit=2");
    expect(page1.body).toEqual(expect.objectContaining({ first_id: made[0], last_id: made[1], has_more: true }));
    expect(ids(page1)).toEqual(made.slice(0, 2));
    const page2 = await api("GET", `/agents?limit=2&after_id=${made[1]}`);
    expect(ids(page2)).toEqual(made.slice(2, 4));
    expect(page2.body.has_more).toBe(true);
    const page3 = await api("GET", `/agents?limit=2&after=${made[3]}`);
    expect(page3.body).toMatchObject({ has_more: false, first_id: made[4], last_id: made[4] });
    const back = await api("GET", `/agents?limit=2&before_id=${made[4]}`);
    expect(ids(back)).toEqual(made.slice(2, 4));
    expect(back.body.has_more).toBe(true);
    expect(ids(await api("GET", `/agents?limit=5&before=${made[2]}`))).toEqual(made.slice(0, 2));
    expect(ids(await api("GET", "/agents"))).toEqual(made);
  });

  test("limit rules", async () => {
    expect((await api("GET", "/agents?limit=500")).status).toBe(200);
    for (const bad of ["0", "-1", "abc", "1.5"]) {
      expect(errorOf(await api("GET", `/agents?limit=${bad}`))).toMatchObject({ status: 400, type: "invalid_request_error", param: "limit" });
    }
    const many = await Promise.all(Array.from({ length: 101 }, (_, i) => newAgent(`many-${i}`)));
    expect(many.every((r) => r.status === 201)).toBe(true);
    const capped = await api("GET", "/agents?limit=1000");
    expect(capped.body.data).toHaveLength(100);
    expect(capped.body.has_more).toBe(true);
    expect((await api("GET", "/agents")).body.data).toHaveLength(20);
  });

  test("every list endpoint applies the same limit and cursor rules", async () => {
    const { body: vault } = await api("POST", "/vaults", { display_name: "v" });
    const { body: store } = await api("POST", "/memory_stores", { name: "s", description: "d" });
    const lists = [
      "/agents",
      "/environments",
      "/skills",
      "/vaults",
      `/vaults/${vault.id}/credentials`,
      "/memory_stores",
      `/memory_stores/${store.id}/memories`,
      `/memory_stores/${store.id}/versions`,
      `/agents/${made[0]}/versions`,
    ];
    for (const path of lists) {
      const ok = await api("GET", `${path}?limit=500`);
      expect({ path, status: ok.status, keys: Object.keys(ok.body) }).toEqual({ path, status: 200, keys: ["data", "first_id", "last_id", "has_more"] });
      expect({ path, ...errorOf(await api("GET", `${path}?limit=0`)) }).toMatchObject({ path, status: 400, param: "limit" });
      expect({ path, ...errorOf(await api("GET", `${path}?after_id=1&before_id=2`)) }).toMatchObject({ path, status: 400, type: "invalid_request_error" });
    }
  });

  test("both cursors, created_at filters, include_archived, empty page", async () => {
    expect(errorOf(await api("GET", `/agents?after_id=${made[1]}&before_id=${made[3]}`))).toMatchObject({ status: 400, type: "invalid_request_error" });
    expect(errorOf(await api("GET", "/agents?created_at[gte]=yesterday"))).toMatchObject({ status: 400, param: "created_at[gte]" });
    expect(errorOf(await api("GET", "/agents?include_archived=maybe"))).toMatchObject({ status: 400, param: "include_archived" });
    const { body: third } = await api("GET", `/agents/${made[2]}`);
    const upTo = await api("GET", `/agents?limit=100&created_at[lte]=${encodeURIComponent(third.created_at)}`);
    expect(ids(upTo)).toEqual(made.slice(2));
    const future = await api("GET", "/agents?created_at[gte]=2999-01-01T00:00:00Z");
    expect(future.body).toEqual({ data: [], first_id: null, last_id: null, has_more: false });
    await api("POST", `/agents/${made[3]}/archive`);
    const lte = `/agents?limit=100&created_at[lte]=${encodeURIComponent(third.created_at)}`;
    expect(ids(await api("GET", lte))).toEqual([made[2], made[4]]);
    expect(ids(await api("GET", `${lte}&include_archived=true`))).toEqual(made.slice(2));
  });
});

describe("idempotency", () => {
  test("same key + same request replays without re-executing", async () => {
    const body = { name: "idem", model: "auto" };
    const first = await api("POST", "/agents", body, { "Idempotency-Key": "k-1" });
    const again = await api("POST", "/agents", body, { "Idempotency-Key": "k-1" });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    const state = (await t.admin("GET", "/state")).body;
    expect(Object.values(state.agents).filter((a: any) => a.name === "idem")).toHaveLength(1);
    // X-Idempotency-Key is the same key space
    expect((await api("POST", "/agents", body, { "X-Idempotency-Key": "k-1" })).body.id).toBe(first.body.id);
  });

  test("same key + different body → 409, and the original record survives", async () => {
    const first = await api("POST", "/agents", { name: "a", model: "auto" }, { "Idempotency-Key": "k-2" });
    expect(errorOf(await api("POST", "/agents", { name: "b", model: "auto" }, { "Idempotency-Key": "k-2" }))).toEqual({
      status: 409,
      type: "conflict_error",
      message: "Idempotency key reused with a different request body.",
      param: undefined,
    });
    expect((await api("POST", "/agents", { name: "a", model: "auto" }, { "Idempotency-Key": "k-2" })).body.id).toBe(first.body.id);
  });

  test("4xx responses and deletes are cached too; GET ignores keys; keys expire", async () => {
    const bad = await api("POST", "/agents", { model: "auto" }, { "Idempotency-Key": "k-3" });
    const replay = await api("POST", "/agents", { model: "auto" }, { "Idempotency-Key": "k-3" });
    expect(replay.status).toBe(400);
    expect(replay.body).toEqual(bad.body);

    const { body: agent } = await newAgent("to-delete");
    const del = await api("DELETE", `/agents/${agent.id}`, undefined, { "Idempotency-Key": "k-4" });
    const delAgain = await api("DELETE", `/agents/${agent.id}`, undefined, { "Idempotency-Key": "k-4" });
    expect([del.status, delAgain.status]).toEqual([200, 200]);
    expect(delAgain.body).toEqual({ type: "agent", id: agent.id, deleted: true });

    expect((await api("GET", "/models", undefined, { "Idempotency-Key": "k-4" })).status).toBe(200);

    await new Promise((r) => setTimeout(r, 350)); // TTL is 300 ms in this suite
    expect((await api("POST", "/agents", { name: "b", model: "auto" }, { "Idempotency-Key": "k-2" })).status).toBe(201);
  });
});

describe("prototype-key ids", () => {
  const keys = ["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf"];

  test.each(keys)("'%s' is 404 everywhere and cannot plant an object", async (id) => {
    const reads = ["/agents", "/environments", "/skills", "/vaults", "/memory_stores"].map((base) => `${base}/${id}`);
    reads.push(`/agents/${id}/versions`, `/skills/${id}/versions`, `/vaults/${id}/credentials`, `/memory_stores/${id}/memories`);
    for (const path of reads) expect(errorOf(await api("GET", path))).toMatchObject({ status: 404, type: "not_found_error" });
    const writes: Array<[string, string, unknown]> = [
      ["POST", `/environments/${id}`, { name: "planted", config: { type: "cloud" } }],
      ["PUT", `/agents/${id}`, { name: "planted", version: 1 }],
      ["POST", `/agents/${id}/archive`, undefined],
      ["PUT", `/skills/${id}`, { name: "planted" }],
      ["POST", `/vaults/${id}`, { display_name: "planted" }],
      ["POST", `/vaults/${id}/credentials`, { mcp_server_url: "https://x", access_token: "t" }],
      ["POST", `/memory_stores/${id}`, { name: "planted" }],
      ["POST", `/memory_stores/${id}/memories`, { path: "a", content: "b" }],
      ["POST", `/environments/${id}/archive`, undefined],
      ["DELETE", `/environments/${id}`, undefined],
      ["DELETE", `/agents/${id}`, undefined],
      ["DELETE", `/skills/${id}`, undefined],
      ["DELETE", `/vaults/${id}`, undefined],
      ["DELETE", `/memory_stores/${id}`, undefined],
    ];
    for (const [method, path, body] of writes) expect(errorOf(await api(method, path, body))).toMatchObject({ status: 404, type: "not_found_error" });
    for (const list of ["/agents", "/environments", "/skills", "/vaults", "/memory_stores"]) {
      const res = await api("GET", `${list}?include_archived=true&limit=100`);
      expect(res.status).toBe(200);
      for (const item of res.body.data) expect(item.id).toMatch(/^[a-z]+_[0-9a-f]{32}$/);
    }
  });
});

test("a metadata key named __proto__ is kept as a key by a metadata patch", async () => {
  const { body: env } = await api("POST", "/environments", { name: "meta", config: { type: "cloud" } });
  const patched = await api("POST", `/environments/${env.id}`, { metadata: JSON.parse('{"__proto__":"x","b":"2"}') });
  expect(patched.status).toBe(200);
  expect(patched.text).toContain('"__proto__":"x"');
});
