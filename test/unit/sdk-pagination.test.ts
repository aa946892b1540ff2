import { QoderError } from "../../sdk";
import { agent, page, useFakeServer } from "./sdk-fake-server";

const s = useFakeServer();

test("iterates across pages following last_id and stops when has_more is false", async () => {
  s.reply(
    { json: page([agent("agent_9"), agent("agent_8")], true) },
    { json: page([agent("agent_7"), agent("agent_6")], true) },
    { json: page([agent("agent_5")], false) },
  );
  const ids: string[] = [];
  for await (const a of s.client().agents.list({ limit: 2, include_archived: true })) ids.push(a.id);
  expect(ids).toEqual(["agent_9", "agent_8", "agent_7", "agent_6", "agent_5"]);
  expect(s.requests.map((r) => r.query.toString())).toEqual([
    "limit=2&include_archived=true",
    "limit=2&include_archived=true&after_id=agent_8",
    "limit=2&include_archived=true&after_id=agent_6",
  ]);
});

test("nothing is fetched until iterated; an empty page ends iteration even if has_more is set", async () => {
  const p = s.client().agents.list();
  expect(s.requests).toHaveLength(0);
  s.reply({ json: { data: [], first_id: null, last_id: null, has_more: true } });
  await expect(p.toArray()).resolves.toEqual([]);
  expect(s.requests).toHaveLength(1);
});

test("before_id pages backwards with first_id", async () => {
  s.reply({ json: page([agent("agent_4"), agent("agent_3")], true) }, { json: page([agent("agent_2")], false) });
  const all = await s.client().agents.list({ before_id: "agent_5", limit: 2 }).toArray();
  expect(all.map((a) => a.id)).toEqual(["agent_4", "agent_3", "agent_2"]);
  expect(s.requests[1]!.query.get("before_id")).toBe("agent_4");
  expect(s.requests[1]!.query.has("after_id")).toBe(false);
});

test("pages() exposes the envelope", async () => {
  s.reply({ json: page([agent("agent_2")], true) }, { json: page([agent("agent_1")], false) });
  const pages = [];
  for await (const p of s.client().agents.list().pages()) pages.push(p);
  expect(pages.map((p) => [p.first_id, p.last_id, p.has_more])).toEqual([["agent_2", "agent_2", true], ["agent_1", "agent_1", false]]);
});

test("a cursor that does not advance throws instead of looping", async () => {
  s.fallback = { json: page([agent("agent_2"), agent("agent_1")], true) };
  const err = await s.client().agents.list().toArray().catch((e) => e);
  expect(err).toBeInstanceOf(QoderError);
  expect(err.message).toMatch(/cursor did not advance: after_id=agent_1/);
  expect(s.requests).toHaveLength(2);
});

test("version lists accept numeric cursors", async () => {
  s.reply(
    { json: { data: [agent("agent_1", { version: 3 })], first_id: 3, last_id: 3, has_more: true } },
    { json: { data: [agent("agent_1", { version: 2 })], first_id: "2", last_id: "2", has_more: false } },
  );
  const versions = await s.client().agents.listVersions("agent_1").toArray();
  expect(versions.map((v) => v.version)).toEqual([3, 2]);
  expect(s.requests.map((r) => `${r.path}?${r.query}`)).toEqual(["/agents/agent_1/versions?", "/agents/agent_1/versions?after_id=3"]);
});

test("memories list passes path_prefix; credentials list is scoped to the vault", async () => {
  s.reply({ json: page([], false) }, { json: page([], false) });
  const c = s.client();
  await c.memoryStores.memories.list("memstore_1", { path_prefix: "notes/", "created_at[gte]": "2026-01-01T00:00:00Z" }).toArray();
  await c.vaults.credentials.list("vault_1").toArray();
  expect(s.requests[0]!.path).toBe("/memory_stores/memstore_1/memories");
  expect(s.requests[0]!.query.get("path_prefix")).toBe("notes/");
  expect(s.requests[0]!.query.get("created_at[gte]")).toBe("2026-01-01T00:00:00Z");
  expect(s.requests[1]!.path).toBe("/vaults/vault_1/credentials");
});

describe("endless lists are bounded", () => {
  // Fresh cursors forever; the server gives up after `stopAfter` pages so a broken client cannot hang the suite.
  const endless = (stopAfter: number) => {
    let n = 0;
    s.fallback = () => {
      n++;
      return { json: page([agent(`agent_${n}`)], n < stopAfter) };
    };
  };

  test("maxListPages stops a list that always has_more, naming the route and the option", async () => {
    endless(500);
    const err = await s.client({ maxListPages: 20 }).agents.list().toArray().catch((e) => e);
    expect(err.name).toBe("PaginationError");
    expect(err.message).toBe("GET /agents: still has_more after 20 pages (maxListPages); the server keeps returning new cursors");
    expect(s.requests).toHaveLength(20);
  });

  test("the default bound is 1000 pages", async () => {
    endless(5000);
    const err = await s.client().agents.list().toArray().catch((e) => e);
    expect(err.name).toBe("PaginationError");
    expect(s.requests).toHaveLength(1000);
  }, 30_000);

  test("a list of exactly maxListPages pages is fine", async () => {
    endless(3);
    await expect(s.client({ maxListPages: 3 }).agents.list().toArray()).resolves.toHaveLength(3);
  });

  test("a cursor seen before (not only the last one) is a PaginationError", async () => {
    s.reply({ json: page([agent("agent_3")], true) }, { json: page([agent("agent_2")], true) }, { json: page([agent("agent_3")], true) });
    const err = await s.client().agents.list().toArray().catch((e) => e);
    expect(err.name).toBe("PaginationError");
    expect(err.message).toMatch(/^GET \/agents: pagination cursor did not advance: after_id=agent_3/);
    expect(s.requests).toHaveLength(3);
  });
});
