import { BadRequestError, ConflictError, NotFoundError, AuthenticationError, modelId } from "../../sdk";
import { expectError, useEmulator } from "./client-harness";

const h = useEmulator();

test("agent lifecycle: create, get, list, update, versions, archive, delete", async () => {
  const c = h.client();
  const a = await c.agents.create({ name: "reviewer", model: "ultimate", system: "Review code.", metadata: { team: "a", tmp: "x" } });
  expect(a).toMatchObject({ type: "agent", name: "reviewer", system: "Review code.", version: 1, archived: false, archived_at: null, metadata: { team: "a", tmp: "x" } });
  expect(a.id).toMatch(/^agent_[0-9a-f]{32}$/);
  await expect(c.agents.get(a.id)).resolves.toEqual(a);
  expect((await c.agents.list().toArray()).map((x) => x.id)).toContain(a.id);

  const b = await c.agents.update(a.id, { version: 1, model: { id: "ultimate", effort: "high" }, description: "d", metadata: { tmp: null, env: "prod" } });
  expect(b).toMatchObject({ version: 2, description: "d", metadata: { team: "a", env: "prod" } });
  expect(modelId(b.model)).toBe("ultimate");
  const cleared = await c.agents.update(a.id, { version: 2, description: null, system: null });
  expect(cleared).toMatchObject({ version: 3, description: "", system: "" });

  expect((await c.agents.get(a.id, { version: 1 })).metadata).toEqual({ team: "a", tmp: "x" });
  expect((await c.agents.listVersions(a.id).toArray()).map((v) => v.version)).toEqual([3, 2, 1]);
  expect((await c.agents.listVersions(a.id, { limit: 1 }).toArray()).map((v) => v.version)).toEqual([3, 2, 1]);

  const archived = await c.agents.archive(a.id);
  expect(archived).toMatchObject({ archived: true, version: 3 });
  expect(archived.archived_at).toEqual(expect.any(String));
  expect((await c.agents.list().toArray()).map((x) => x.id)).not.toContain(a.id);
  expect((await c.agents.list({ include_archived: true }).toArray()).map((x) => x.id)).toContain(a.id);

  await expect(c.agents.delete(a.id)).resolves.toEqual({ type: "agent", id: a.id, deleted: true });
  await expectError(() => c.agents.get(a.id), NotFoundError, { status: 404, type: "not_found_error" });
  await expectError(() => c.agents.delete(a.id), NotFoundError, { status: 404 });
});

test("pagination walks every page forwards and backwards", async () => {
  await h.reset();
  const c = h.client();
  const ids: string[] = [];
  for (let i = 0; i < 5; i++) ids.push((await c.agents.create({ name: `p${i}`, model: "auto" })).id);
  const newestFirst = [...ids].reverse();
  const pages = [];
  for await (const p of c.agents.list({ limit: 2 }).pages()) pages.push(p.data.map((a) => a.id));
  expect(pages).toEqual([newestFirst.slice(0, 2), newestFirst.slice(2, 4), newestFirst.slice(4)]);
  const older = await c.agents.list({ limit: 2, after_id: newestFirst[0] }).toArray();
  expect(older.map((a) => a.id)).toEqual(newestFirst.slice(1));
  const newer = await c.agents.list({ limit: 1, before_id: newestFirst[4] }).toArray();
  expect(newer.map((a) => a.id).sort()).toEqual(newestFirst.slice(0, 4).sort());
});

test("idempotent create: the same key replays the first agent; a different body conflicts", async () => {
  const c = h.client();
  const first = await c.agents.create({ name: "idem", model: "auto" }, { idempotencyKey: "key-agent-1" });
  const again = await c.agents.create({ name: "idem", model: "auto" }, { idempotencyKey: "key-agent-1" });
  expect(again.id).toBe(first.id);
  await expectError(() => c.agents.create({ name: "other", model: "auto" }, { idempotencyKey: "key-agent-1" }), ConflictError, { status: 409, type: "conflict_error" });
});

describe("agent errors", () => {
  test.each([
    ["missing name", { model: "auto" }, "name"],
    ["missing model", { name: "x" }, "model"],
    ["unknown model", { name: "x", model: "nope" }, "model"],
    ["effort on a model without efforts", { name: "x", model: { id: "auto", effort: "high" } }, "model"],
    ["unreferenced MCP server", { name: "x", model: "auto", mcp_servers: [{ type: "url", name: "gh", url: "https://x" }] }, "mcp_servers[0]"],
    ["browser tool without beta header", { name: "x", model: "auto", tools: [{ type: "browser_toolset_20260714" }] }, "tools[0].type"],
    ["bad metadata value", { name: "x", model: "auto", metadata: { k: 1 } }, "metadata.k"],
  ])("%s → 400 with param", async (_what, body, param) => {
    await expectError(() => h.client().agents.create(body as never), BadRequestError, { status: 400, type: "invalid_request_error", param });
  });

  test("a stale version → 409, sent once (never retried)", async () => {
    const c = h.client();
    const a = await c.agents.create({ name: "occ", model: "auto" });
    await c.agents.update(a.id, { version: 1, description: "one" });
    const mark = await h.mark();
    const err = await expectError(() => c.agents.update(a.id, { version: 1, description: "two" }), ConflictError, { status: 409, type: "conflict_error" });
    expect(err.serverMessage).toBe("Version conflict");
    expect(await h.since(mark, "PUT /agents/{id}")).toHaveLength(1);
  });

  test("update or re-archive of an archived agent → 409", async () => {
    const c = h.client();
    const a = await c.agents.create({ name: "arch", model: "auto" });
    await c.agents.archive(a.id);
    await expectError(() => c.agents.update(a.id, { version: 1, name: "y" }), ConflictError, { status: 409, type: "conflict_error" });
    await expectError(() => c.agents.archive(a.id), ConflictError, { status: 409 });
  });

  test("missing version on update → 400 param version; unknown snapshot → 404", async () => {
    const c = h.client();
    const a = await c.agents.create({ name: "v", model: "auto" });
    await expectError(() => c.agents.update(a.id, { name: "z" } as never), BadRequestError, { status: 400, param: "version" });
    await expectError(() => c.agents.get(a.id, { version: 9 }), NotFoundError, { status: 404, type: "not_found_error" });
  });

  test("list parameter errors", async () => {
    const c = h.client();
    await expectError(() => c.agents.list({ limit: 0 }).toArray(), BadRequestError, { status: 400, param: "limit" });
    await expectError(() => c.agents.list({ after_id: "agent_a", before_id: "agent_b" }).toArray(), BadRequestError, { status: 400, type: "invalid_request_error" });
    await expectError(() => c.agents.list({ "created_at[gte]": "yesterday" }).toArray(), BadRequestError, { status: 400, param: "created_at[gte]" });
  });

  test("a wrong token → 401 authentication_error", async () => {
    await expectError(() => h.client({ token: "pt-wrong" }).agents.list().toArray(), AuthenticationError, { status: 401, type: "authentication_error" });
  });
});
