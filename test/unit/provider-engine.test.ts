// The engine's shared behaviour, through real kinds and a real client against a local server:
// check plumbing, 409 handling, deletion policies, 404s and adoption.
import * as engine from "../../provider/engine";
import { QoderClient } from "../../sdk";
import { propertyPath } from "../../provider/property-path";
import { agentKind } from "../../provider/kinds/agent";
import { environmentKind } from "../../provider/kinds/environment";
import { memoryStoreKind } from "../../provider/kinds/memory-store";
import { apiError, apiObject, checked, idempotencyKey, stateAfterCreate, useApiServer } from "./provider-kind-helpers";
import { page } from "./sdk-fake-server";

const server = useApiServer();
const conflict = (message: string) => apiError(409, "conflict_error", message);
/** A 404 as the API words it: naming the object's id, so the sdk knows the URL is the API's. */
const notFound = (id: string) => apiError(404, "not_found_error", `Object '${id}' was not found.`);

test("propertyPath uses Pulumi's syntax", () => {
  expect(propertyPath(["tools", 2, "mcpServerName"])).toBe("tools[2].mcpServerName");
  expect(propertyPath([])).toBe("");
});

test("check drops __provider, keeps the create key, and reports every schema failure at once", () => {
  const r = engine.check(memoryStoreKind, {}, { __provider: "exports.handler = ...", __createKey: "p/s/memoryStore/x", name: "", description: "" });
  expect(r.failures!.map((f) => f.property).sort()).toEqual(["description", "name"]);
  const ok = engine.check(memoryStoreKind, {}, { __provider: "x", __createKey: "p/s/memoryStore/x", name: "n", description: "d" });
  expect(ok.inputs).toEqual({ name: "n", description: "d", metadata: {}, deletionPolicy: "archive", __createKey: "p/s/memoryStore/x" });
});

describe("update", () => {
  const agent = apiObject("agent", { name: "a", model: "ultimate", system: "", description: "", tools: [], mcp_servers: [], skills: [], metadata: {}, version: 7, archived: false, archived_at: null });
  const olds = () => stateAfterCreate(agentKind, checked(agentKind, { name: "a", model: "ultimate" }), agent);

  test("a 409 fails once, says the object changed outside Pulumi and names pulumi refresh", async () => {
    server.reply(conflict("Version conflict"));
    const err = await engine.update(server.api(), agentKind, agent.id, olds(), checked(agentKind, { name: "a", model: "ultimate", system: "x" })).catch((e) => e);
    expect(err.message).toMatch(/changed outside Pulumi/);
    expect(err.message).toMatch(/`pulumi refresh`/);
    expect(err.message).toContain(agent.id);
    expect(server.sent()).toEqual([[`PUT /agents/${agent.id}`, { version: 7, system: "x" }]]); // once: a 409 is never retried
  });
});

describe("remove", () => {
  const env = apiObject("environment", { name: "e", description: "", status: "ready", config: { type: "cloud" }, metadata: {}, archived: false });
  const props = (extra: object = {}) => ({ ...stateAfterCreate(environmentKind, checked(environmentKind, { name: "e", ...extra }), env) });

  test("the default policy archives; delete deletes", async () => {
    server.reply({ json: { ...env, archived: true } }, { status: 204 });
    await engine.remove(server.api(), environmentKind, env.id, props());
    await engine.remove(server.api(), environmentKind, env.id, props({ deletionPolicy: "delete" }));
    expect(server.sent()).toEqual([[`POST /environments/${env.id}/archive`], [`DELETE /environments/${env.id}`]]);
  });

  test("already archived (in state, or 409 from the API) and already gone (404) are success", async () => {
    server.reply(conflict("already archived"), notFound(env.id));
    await engine.remove(server.api(), environmentKind, env.id, { ...props(), archived: true });
    expect(server.sent()).toEqual([]);
    await engine.remove(server.api(), environmentKind, env.id, props());
    await engine.remove(server.api(), environmentKind, env.id, props({ deletionPolicy: "delete" }));
    expect(server.sent()).toEqual([[`POST /environments/${env.id}/archive`], [`DELETE /environments/${env.id}`]]);
  });
});

test("read of a deleted object returns no id, so the engine drops it", async () => {
  server.reply(notFound("memstore_x"), { json: page([], false) });
  expect(await engine.read(server.api(), memoryStoreKind, "memstore_x", { name: "n" })).toEqual({});
  // before dropping it, the client makes sure the base URL is the API's
  expect(server.sent()).toEqual([["GET /memory_stores/memstore_x"], ["GET /agents"]]);
});

describe("adoption", () => {
  const store = apiObject("memory_store", { name: "old", description: "d", status: "active", metadata: { a: "1" } });
  const inputs = (adoptId: string) => checked(memoryStoreKind, { name: "new", description: "d", adoptId });

  test("reads the object and updates only what differs: no create", async () => {
    server.reply({ json: store }, { json: { ...store, name: "new", metadata: {} } });
    const r = await engine.create(server.api(), memoryStoreKind, inputs(store.id));
    expect(r.id).toBe(store.id);
    expect(server.sent()).toEqual([[`GET /memory_stores/${store.id}`], [`POST /memory_stores/${store.id}`, { name: "new", metadata: { a: null } }]]);
    expect(r.outs).toMatchObject({ memoryStoreId: store.id, name: "new", adoptId: store.id });
  });

  test("a missing or archived object cannot be adopted", async () => {
    server.reply(notFound(store.id));
    await expect(engine.create(server.api(), memoryStoreKind, inputs(store.id))).rejects.toThrow(/was not found, so there is nothing to adopt/);
    server.reply({ json: { ...store, status: "archived" } });
    await expect(engine.create(server.api(), memoryStoreKind, inputs(store.id))).rejects.toThrow(/archived/);
    expect(server.sent()).toEqual([[`GET /memory_stores/${store.id}`], [`GET /memory_stores/${store.id}`]]); // no write to either
  });
});

describe("a refused create", () => {
  const store = apiObject("memory_store", { name: "n", description: "d", status: "active", metadata: {} });
  const program = () => checked(memoryStoreKind, { name: "n", description: "d", __createKey: "p/s/memoryStore/n" });

  test("is sent once more under a fresh key: a stored refusal must not outlive its cause", async () => {
    server.reply(conflict("A memory already exists at this path."), { json: { ...store, created_at: new Date().toISOString() } });
    const r = await engine.create(server.api(), memoryStoreKind, program());
    expect(r.id).toBe(store.id);
    expect(server.sent().map(([call]) => call)).toEqual(["POST /memory_stores", "POST /memory_stores"]);
    const keys = server.requests.map((q) => idempotencyKey(q) as string);
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(/^pq-[0-9a-f]{40}$/); // the derived key first: an interrupted run is taken over
    expect(keys[1].startsWith(`${keys[0]}-`)).toBe(true);
  });

  test("still failing under the fresh key, it fails with the server's reason after two requests", async () => {
    server.fallback = conflict("A memory already exists at this path.");
    await expect(engine.create(server.api(), memoryStoreKind, program())).rejects.toThrow(/create refused with 409 \(.*already exists/);
    expect(server.sent().map(([call]) => call)).toEqual(["POST /memory_stores", "POST /memory_stores"]);
  });

  test("a key reused with another body is not retried: an earlier request under it may have created the object", async () => {
    server.fallback = conflict("Idempotency key reused with a different request body.");
    await expect(engine.create(server.api(), memoryStoreKind, program())).rejects.toThrow(/used before with a different body/);
    expect(server.sent().map(([call]) => call)).toEqual(["POST /memory_stores"]);
  });
});

describe("errors the provider raises", () => {

  test("a refused create has its own message: nothing existed in state to have changed", async () => {
    server.fallback = conflict("A memory store with this name already exists.");
    const err = await engine.create(server.api(), memoryStoreKind, checked(memoryStoreKind, { name: "n", description: "d" })).catch((e) => e);
    expect(err.message).toMatch(/create refused with 409 \(.*already exists.*\)\. Something that already exists clashes with this object/);
    expect(err.message).not.toMatch(/changed outside Pulumi|since the last refresh/);
  });

  test("render without a stack trace, as the dynamic-provider host prints them (`${err}: ${err.stack}`)", async () => {
    server.reply(conflict("boom"));
    const err = await engine.read(server.api(), memoryStoreKind, "memstore_x", { name: "n" }).catch((e) => e);
    const printed = `${err}: ${err.stack}`;
    expect(printed).toBe(`error: ${err.message}`);
    expect(printed).not.toMatch(/\n\s+at /);
  });
});

test("a failure that a wrong endpoint causes names the base URL and the region default", async () => {
  // Nothing listens on port 9: a connection error, as a wrong baseUrl or region gives.
  const client = new QoderClient({ token: "pt-x", baseUrl: "http://127.0.0.1:9/api/v1/cloud", maxRetries: 0 });
  const inputs = checked(environmentKind, { name: "ci", sourceFile: "qoder/environments/ci.yaml" });
  await expect(engine.create(client, environmentKind, inputs)).rejects.toThrow(
    /^qoder\/environments\/ci\.yaml: qoder Environment: create failed: .* \(base URL http:\/\/127\.0\.0\.1:9\/api\/v1\/cloud: qoder:region is cn unless set; a qoder\.com account needs qoder:region global, or set qoder:baseUrl\)$/,
  );
});
