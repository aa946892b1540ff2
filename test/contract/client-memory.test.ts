import { BadRequestError, ConflictError, NotFoundError } from "../../sdk";
import { expectError, useEmulator } from "./client-harness";

const h = useEmulator();

test("memory store lifecycle with entries", async () => {
  const c = h.client();
  const s = await c.memoryStores.create({ name: "notes", description: "Team notes", metadata: { a: "1" } });
  expect(s).toMatchObject({ type: "memory_store", name: "notes", description: "Team notes", status: "active", entry_count: 0, total_size: 0 });
  expect(s.id).toMatch(/^memstore_[0-9a-f]{32}$/);
  expect((await c.memoryStores.list().toArray()).map((x) => x.id)).toContain(s.id);
  const u = await c.memoryStores.update(s.id, { name: "notes2", metadata: { a: null, b: "2" } });
  expect(u).toMatchObject({ name: "notes2", metadata: { b: "2" } });

  const m = await c.memoryStores.memories.create(s.id, { path: "notes/meeting.md", content: "hello" });
  expect(m).toMatchObject({ type: "memory", store_id: s.id, path: "notes/meeting.md", content: "hello", size: 5, version: 1 });
  await c.memoryStores.memories.create(s.id, { path: "config.yaml", content: "k: v" });
  await expect(c.memoryStores.memories.get(s.id, m.id)).resolves.toMatchObject({ content: "hello" });
  const listed = await c.memoryStores.memories.list(s.id, { path_prefix: "notes/" }).toArray();
  expect(listed.map((x) => x.id)).toEqual([m.id]);
  expect(listed[0]!.content).toBeUndefined();
  expect((await c.memoryStores.get(s.id)).entry_count).toBe(2);

  const m2 = await c.memoryStores.memories.update(s.id, m.id, { content: "hello again", version: 1 });
  expect(m2).toMatchObject({ version: 2, size: 11, path: "notes/meeting.md" });
  await expectError(() => c.memoryStores.memories.update(s.id, m.id, { content: "stale", version: 1 }), ConflictError, { status: 409, type: "conflict_error" });
  await expect(c.memoryStores.memories.delete(s.id, m.id)).resolves.toBeUndefined();
  await expectError(() => c.memoryStores.memories.get(s.id, m.id), NotFoundError, { status: 404, type: "not_found_error" });

  const archived = await c.memoryStores.archive(s.id);
  expect(archived.status).toBe("archived");
  await expectError(() => c.memoryStores.memories.create(s.id, { path: "x.md", content: "x" }), ConflictError, { status: 409 });
  await expectError(() => c.memoryStores.archive(s.id), ConflictError, { status: 409, type: "conflict_error" });
  expect((await c.memoryStores.list().toArray()).map((x) => x.id)).not.toContain(s.id);
  await expect(c.memoryStores.delete(s.id)).resolves.toBeUndefined();
  await expectError(() => c.memoryStores.get(s.id), NotFoundError, { status: 404 });
});

describe("memory errors", () => {
  test("store without description → 400 param description", async () => {
    await expectError(() => h.client().memoryStores.create({ name: "x" } as never), BadRequestError, { status: 400, type: "invalid_request_error", param: "description" });
  });

  test("absolute path → 400 param path; duplicate path → 409; oversized content → 400 param content", async () => {
    const c = h.client();
    const s = await c.memoryStores.create({ name: "m", description: "d" });
    await expectError(() => c.memoryStores.memories.create(s.id, { path: "/abs.md", content: "x" }), BadRequestError, { status: 400, param: "path" });
    await c.memoryStores.memories.create(s.id, { path: "a.md", content: "x" });
    await expectError(() => c.memoryStores.memories.create(s.id, { path: "a.md", content: "y" }), ConflictError, { status: 409, type: "conflict_error" });
    await expectError(() => c.memoryStores.memories.create(s.id, { path: "big.md", content: "x".repeat(102401) }), BadRequestError, { status: 400, param: "content" });
  });

  test("unknown store → 404 for entries", async () => {
    await expectError(() => h.client().memoryStores.memories.list("memstore_missing").toArray(), NotFoundError, { status: 404, type: "not_found_error" });
  });
});
