// The memory store kind: check, diff, round trip and update body.
import * as engine from "../../provider/engine";
import { UNKNOWN } from "../../provider/json";
import { memoryStoreKind as kind } from "../../provider/kinds/memory-store";
import { apiObject, checked, expectFailure, stateAfterCreate, stateOf, useApiServer } from "./provider-kind-helpers";

const server = useApiServer();

const program = { name: "team-notes", description: "Notes the team shares", metadata: { team: "platform", tier: "gold" } };
const live = apiObject("memory_store", { ...program, metadata: { tier: "gold", team: "platform" }, status: "active", entry_count: 2, total_size: 40, archived_at: null });
const state = () => stateAfterCreate(kind, checked(kind, program), live);

describe("check", () => {
  test("defaults", () => {
    expect(checked(kind, { name: "s", description: "d" })).toEqual({ name: "s", description: "d", metadata: {}, deletionPolicy: "archive" });
  });

  test.each([
    ["name", { name: "" }, /1/],
    ["name", { name: "n".repeat(256) }, /255/],
    ["description", { description: "" }, /non-empty description/],
    ["description", { description: "d".repeat(1025) }, /1024/],
    ["metadata", { metadata: Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, "v"])) }, /16 keys/],
    ["deletionPolicy", { deletionPolicy: "retain" }, /archive/],
    ["adoptId", { adoptId: "memstore_XYZ" }, /memstore_ id/],
  ])("%s: an invalid value is rejected on that path", (property, patch, rule) => {
    expectFailure(kind, { name: "s", description: "d", ...patch }, property, rule);
  });

  test("a missing description names the property", () => {
    expectFailure(kind, { name: "s" }, "description", /string/i);
  });

  test("unknown values are tolerated", () => {
    expect(engine.check(kind, {}, { name: UNKNOWN, description: UNKNOWN }).failures).toBeUndefined();
  });
});

describe("diff", () => {
  test("no changes against its own state or its refreshed form; key order is no change", () => {
    expect(engine.diff(kind, live.id, state(), checked(kind, program))).toEqual({ changes: false });
    const refreshed = stateOf(kind, kind.toInputs(live, { deletionPolicy: "archive" }), live, {});
    expect(refreshed).toMatchObject({ memoryStoreId: live.id, status: "active", archived: false, entryCount: 2, totalSize: 40 });
    expect(engine.diff(kind, live.id, refreshed, checked(kind, { ...program, metadata: { tier: "gold", team: "platform" } }))).toEqual({ changes: false });
  });

  test.each([
    ["name", { name: "renamed" }],
    ["description", { description: "other" }],
    ["metadata", { metadata: {} }],
  ])("a change of %s is an in-place update", (key, patch) => {
    const news = checked(kind, { ...program, ...patch });
    expect(engine.changedFields(kind, state(), news)).toEqual([key]);
    expect(engine.diff(kind, live.id, state(), news)).toEqual({ replaces: [] });
  });

  test("archived out of band: replace", () => {
    const archived = stateOf(kind, checked(kind, program), { ...live, status: "archived", archived_at: "2026-05-19T00:00:00Z" }, {});
    expect(archived.archived).toBe(true);
    expect(engine.diff(kind, live.id, archived, checked(kind, program))).toEqual({ replaces: ["archived"], changes: true });
  });
});

describe("update body", () => {
  test("only changed fields; metadata as a patch with null for removed keys", async () => {
    server.reply({ json: live });
    await engine.update(server.api(), kind, live.id, state(), checked(kind, { ...program, description: "New", metadata: { team: "platform", owner: "bob" } }));
    expect(server.sent()).toEqual([[`POST /memory_stores/${live.id}`, { description: "New", metadata: { tier: null, owner: "bob" } }]]);
  });
});
