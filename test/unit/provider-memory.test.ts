// The memory kind: check (relative path, content size, store id), diff (path/store/metadata
// replace, content in place), round trip, update body with the entry's version.
import * as engine from "../../provider/engine";
import { UNKNOWN } from "../../provider/json";
import { memoryKind as kind } from "../../provider/kinds/memory";
import { apiObject, checked, expectFailure, fakeId, stateAfterCreate, stateOf, useApiServer } from "./provider-kind-helpers";

const server = useApiServer();

const storeId = fakeId("memstore");
const program = { storeId, path: "notes/team.md", content: "Deploys happen on Tuesdays.", metadata: { kind: "seed" } };
const live = apiObject("memory", { store_id: storeId, path: program.path, content: program.content, size: 27, content_sha256: "ab".repeat(32), version: 3, metadata: { kind: "seed" } });
const state = () => stateAfterCreate(kind, checked(kind, program), live);

describe("check", () => {
  test("defaults: deleted on destroy (memories cannot be archived)", () => {
    expect(checked(kind, { storeId, path: "a.md", content: "" })).toEqual({ storeId, path: "a.md", content: "", metadata: {}, deletionPolicy: "delete" });
  });

  test.each([
    ["path", { path: "/notes/team.md" }, /relative/],
    ["path", { path: "" }, /blank/],
    ["path", { path: "   " }, /blank/],
    ["path", { path: "../../etc/passwd" }, /"\." or "\.\." segment/],
    ["path", { path: ".." }, /"\." or "\.\." segment/],
    ["path", { path: "./x" }, /"\." or "\.\." segment/],
    ["path", { path: "notes/../x" }, /"\." or "\.\." segment/],
    ["path", { path: "a//b" }, /empty segment/],
    ["path", { path: "notes/" }, /empty segment/],
    ["path", { path: "a\u0000b" }, /control character/],
    ["path", { path: "a\nb" }, /control character/],
    ["path", { path: "notes\\team.md" }, /backslash/],
    ["path", { path: "p".repeat(1025) }, /1024/],
    ["content", { content: "é".repeat(51_201) }, /102400 bytes/], // 102,402 bytes in UTF-8
    ["storeId", { storeId: "store_1" }, /memstore_ id/],
    ["deletionPolicy", { deletionPolicy: "archive" }, /cannot be archived/],
    ["metadata", { metadata: Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, "v"])) }, /16 keys/],
  ])("%s: an invalid value is rejected on that path", (property, patch, rule) => {
    expectFailure(kind, { ...program, ...patch }, property, rule);
  });

  test("content exactly at the limit is accepted; the store id may be unknown during preview", () => {
    expect(checked(kind, { ...program, content: "x".repeat(102_400) }).content).toHaveLength(102_400);
    expect(engine.check(kind, {}, { ...program, storeId: UNKNOWN }).failures).toBeUndefined();
  });

  test("a store id unknown during preview (its store is being updated) still gets the defaults: no phantom deletions", () => {
    const { path, content } = program;
    expect(engine.check(kind, {}, { storeId: UNKNOWN, path, content })).toEqual({ inputs: { storeId: UNKNOWN, path, content, metadata: {}, deletionPolicy: "delete" } });
    // a bad value next to the unknown one is still refused
    expectFailure(kind, { storeId: UNKNOWN, path: "../x", content }, "path", /"\.\." segment/);
  });
});

describe("diff", () => {
  test("no changes against its own state or its refreshed form", () => {
    expect(engine.diff(kind, live.id, state(), checked(kind, program))).toEqual({ changes: false });
    const refreshed = stateOf(kind, kind.toInputs(live, {}), live, {});
    expect(refreshed).toMatchObject({ memoryId: live.id, version: 3, size: 27, contentSha256: live.content_sha256 });
    expect(engine.diff(kind, live.id, refreshed, checked(kind, program))).toEqual({ changes: false });
  });

  test("content is updated in place", () => {
    expect(engine.diff(kind, live.id, state(), checked(kind, { ...program, content: "Wednesdays." }))).toEqual({ replaces: [] });
  });

  test.each([
    ["path", { path: "notes/deploys.md" }],
    ["storeId", { storeId: fakeId("memstore") }],
    ["storeId", { storeId: UNKNOWN }],
    ["metadata", { metadata: {} }], // the entry update takes content and version only
  ])("%s cannot be updated: replace, deleting first (paths are unique)", (key, patch) => {
    expect(engine.diff(kind, live.id, state(), { ...checked(kind, program), ...patch })).toMatchObject({ replaces: [key], deleteBeforeReplace: true });
  });

  test("a runtime rewrite seen by refresh is a content change against the program", () => {
    const rewritten = { ...live, content: "Agent: Fridays.", version: 4 };
    const refreshed = stateOf(kind, kind.toInputs(rewritten, {}), rewritten, {});
    expect(engine.changedFields(kind, refreshed, checked(kind, program))).toEqual(["content"]);
  });
});

describe("update body", () => {
  test("content with the entry's version from state (optimistic concurrency)", async () => {
    server.reply({ json: { ...live, content: "Wednesdays.", version: 4 } });
    const r = await engine.update(server.api(), kind, live.id, state(), checked(kind, { ...program, content: "Wednesdays." }));
    expect(server.sent()).toEqual([[`PUT /memory_stores/${storeId}/memories/${live.id}`, { content: "Wednesdays.", version: 3 }]]);
    expect(r.outs).toMatchObject({ content: "Wednesdays.", version: 4 });
  });

  test("read and delete address the entry through its store", async () => {
    server.reply({ json: live }, { status: 204 });
    await engine.read(server.api(), kind, live.id, state());
    await engine.remove(server.api(), kind, live.id, state());
    expect(server.sent()).toEqual([[`GET /memory_stores/${storeId}/memories/${live.id}`], [`DELETE /memory_stores/${storeId}/memories/${live.id}`]]);
  });
});
