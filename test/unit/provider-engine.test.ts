// The engine's shared behaviour, through real kinds and a recording client: check plumbing,
// 409 handling, deletion policies, 404s and adoption.
import { ConflictError, NotFoundError } from "../../sdk";
import * as engine from "../../provider/engine";
import { propertyPath } from "../../provider/property-path";
import { agentKind } from "../../provider/kinds/agent";
import { environmentKind } from "../../provider/kinds/environment";
import { memoryStoreKind } from "../../provider/kinds/memory-store";
import { checked, recordingClient, stateAfterCreate, type Call } from "./provider-fakes";
import { apiObject } from "./provider-kind-helpers";

const apiError = (Cls: typeof ConflictError, status: number, message: string) =>
  new Cls({ status, body: { type: "error", error: { type: status === 409 ? "conflict_error" : "not_found_error", message } }, requestId: "req_1", method: "PUT", path: "/x" });

/** A client whose calls named in `failures` throw the given error. */
function failing(failures: Record<string, Error>, reply: (c: Call) => any = () => ({})) {
  return recordingClient((c) => {
    if (failures[c.name]) throw failures[c.name];
    return reply(c);
  });
}

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
    const { client, calls } = failing({ "agents.update": apiError(ConflictError, 409, "Version conflict") });
    const err = await engine.update(client, agentKind, agent.id, olds(), checked(agentKind, { name: "a", model: "ultimate", system: "x" })).catch((e) => e);
    expect(err.message).toMatch(/changed outside Pulumi/);
    expect(err.message).toMatch(/`pulumi refresh`/);
    expect(err.message).toContain(agent.id);
    expect(calls.filter((c) => c.name === "agents.update")).toHaveLength(1);
  });
});

describe("remove", () => {
  const env = apiObject("environment", { name: "e", description: "", status: "ready", config: { type: "cloud" }, metadata: {}, archived: false });
  const props = (extra: object = {}) => ({ ...stateAfterCreate(environmentKind, checked(environmentKind, { name: "e", ...extra }), env) });

  test("the default policy archives; delete deletes", async () => {
    const { client, calls } = recordingClient();
    await engine.remove(client, environmentKind, env.id, props());
    await engine.remove(client, environmentKind, env.id, props({ deletionPolicy: "delete" }));
    expect(calls.map((c) => c.name)).toEqual(["environments.archive", "environments.delete"]);
  });

  test("already archived (in state, or 409 from the API) and already gone (404) are success", async () => {
    const { client, calls } = failing({
      "environments.archive": apiError(ConflictError, 409, "already archived"),
      "environments.delete": apiError(NotFoundError, 404, "not found"),
    });
    await engine.remove(client, environmentKind, env.id, { ...props(), archived: true });
    expect(calls).toEqual([]);
    await engine.remove(client, environmentKind, env.id, props());
    await engine.remove(client, environmentKind, env.id, props({ deletionPolicy: "delete" }));
    expect(calls.map((c) => c.name)).toEqual(["environments.archive", "environments.delete"]);
  });
});

test("read of a deleted object returns no id, so the engine drops it", async () => {
  const { client } = failing({ "memoryStores.get": apiError(NotFoundError, 404, "gone") });
  expect(await engine.read(client, memoryStoreKind, "memstore_x", { name: "n" })).toEqual({});
});

describe("adoption", () => {
  const store = apiObject("memory_store", { name: "old", description: "d", status: "active", metadata: { a: "1" } });
  const inputs = (adoptId: string) => checked(memoryStoreKind, { name: "new", description: "d", adoptId });

  test("reads the object and updates only what differs: no create", async () => {
    const { client, calls } = recordingClient((c) => (c.name === "memoryStores.get" ? store : { ...store, name: "new", metadata: {} }));
    const r = await engine.create(client, memoryStoreKind, inputs(store.id));
    expect(r.id).toBe(store.id);
    expect(calls.map((c) => c.name)).toEqual(["memoryStores.get", "memoryStores.update"]);
    expect(calls[1].args).toEqual([store.id, { name: "new", metadata: { a: null } }]);
    expect(r.outs).toMatchObject({ memoryStoreId: store.id, name: "new", adoptId: store.id });
  });

  test("a missing or archived object cannot be adopted", async () => {
    const { client } = failing({ "memoryStores.get": apiError(NotFoundError, 404, "gone") });
    await expect(engine.create(client, memoryStoreKind, inputs(store.id))).rejects.toThrow(/was not found, so there is nothing to adopt/);
    const other = recordingClient(() => ({ ...store, status: "archived" })).client;
    await expect(engine.create(other, memoryStoreKind, inputs(store.id))).rejects.toThrow(/archived/);
  });
});

describe("a refused create", () => {
  const store = apiObject("memory_store", { name: "n", description: "d", status: "active", metadata: {} });
  const program = () => checked(memoryStoreKind, { name: "n", description: "d", __createKey: "p/s/memoryStore/n" });
  const refusal = (message: string) => new ConflictError({ status: 409, body: { type: "error", error: { type: "conflict_error", message } }, requestId: "req_1", method: "POST", path: "/memory_stores" });

  test("is sent once more under a fresh key: a stored refusal must not outlive its cause", async () => {
    let n = 0;
    const { client, calls } = recordingClient((c) => {
      if (c.name === "memoryStores.create" && n++ === 0) throw refusal("A memory already exists at this path.");
      return { ...store, created_at: new Date().toISOString() };
    });
    const r = await engine.create(client, memoryStoreKind, program());
    expect(r.id).toBe(store.id);
    const keys = calls.filter((c) => c.name === "memoryStores.create").map((c) => c.args[1].idempotencyKey as string);
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(/^pq-[0-9a-f]{40}$/); // the derived key first: an interrupted run is taken over
    expect(keys[1].startsWith(`${keys[0]}-`)).toBe(true);
  });

  test("still failing under the fresh key, it fails with the server's reason after two requests", async () => {
    const { client, calls } = failing({ "memoryStores.create": refusal("A memory already exists at this path.") });
    await expect(engine.create(client, memoryStoreKind, program())).rejects.toThrow(/create refused with 409 \(.*already exists/);
    expect(calls.map((c) => c.name)).toEqual(["memoryStores.create", "memoryStores.create"]);
  });

  test("a key reused with another body is not retried: an earlier request under it may have created the object", async () => {
    const { client, calls } = failing({ "memoryStores.create": refusal("Idempotency key reused with a different request body.") });
    await expect(engine.create(client, memoryStoreKind, program())).rejects.toThrow(/used before with a different body/);
    expect(calls.map((c) => c.name)).toEqual(["memoryStores.create"]);
  });
});

describe("errors the provider raises", () => {
  const refusal = new ConflictError({ status: 409, body: { type: "error", error: { type: "conflict_error", message: "A memory store with this name already exists." } }, requestId: "req_1", method: "POST", path: "/memory_stores" });

  test("a refused create has its own message: nothing existed in state to have changed", async () => {
    const { client } = failing({ "memoryStores.create": refusal });
    const err = await engine.create(client, memoryStoreKind, checked(memoryStoreKind, { name: "n", description: "d" })).catch((e) => e);
    expect(err.message).toMatch(/create refused with 409 \(.*already exists.*\)\. Something that already exists clashes with this object/);
    expect(err.message).not.toMatch(/changed outside Pulumi|since the last refresh/);
  });

  test("render without a stack trace, as the dynamic-provider host prints them (`${err}: ${err.stack}`)", async () => {
    const { client } = failing({ "memoryStores.get": apiError(ConflictError, 409, "boom") });
    const err = await engine.read(client, memoryStoreKind, "memstore_x", { name: "n" }).catch((e) => e);
    const printed = `${err}: ${err.stack}`;
    expect(printed).toBe(`error: ${err.message}`);
    expect(printed).not.toMatch(/\n\s+at /);
  });
});
