// The environment kind: check (config by type, networking, bare hosts), diff, round trip, update body.
import * as engine from "../../provider/engine";
import { UNKNOWN } from "../../provider/json";
import { environmentKind as kind } from "../../provider/kinds/environment";
import { apiObject, checked, expectFailure, stateAfterCreate, stateOf, useApiServer } from "./provider-kind-helpers";

// A real client and HTTP, against a local server: the client is passed in, as `configure`
// passes the real one.
const server = useApiServer();

const program = {
  name: "ci",
  config: { networking: { type: "allowed_hosts", allowedHosts: ["api.example.com", "*.npmjs.org", "10.0.0.1"] }, packages: { apt: ["curl"] }, setupScript: "make deps" },
  metadata: { team: "platform", tier: "gold" },
};
const live = apiObject("environment", {
  name: "ci",
  description: "",
  status: "ready",
  config: { type: "cloud", networking: { type: "allowed_hosts", allowed_hosts: ["api.example.com", "*.npmjs.org", "10.0.0.1"] }, packages: { apt: ["curl"] }, setup_script: "make deps" },
  metadata: { tier: "gold", team: "platform" },
  archived: false,
  archived_at: null,
});
const state = () => stateAfterCreate(kind, checked(kind, program), live);

describe("check", () => {
  test("defaults: a cloud environment with limited networking, archived on destroy", () => {
    expect(checked(kind, { name: "e" })).toEqual({ name: "e", description: "", config: { type: "cloud", networking: { type: "limited" } }, metadata: {}, deletionPolicy: "archive" });
    expect(checked(kind, { name: "e", config: { type: "self_hosted" } }).config).toEqual({ type: "self_hosted" });
  });

  test.each([
    ["name", { name: "n".repeat(257) }, /256/],
    ["description", { description: "d".repeat(2049) }, /2048/],
    ["config.type", { config: { type: "on_prem" } }, /cloud/],
    ["config.networking.type", { config: { networking: { type: "open" } } }, /unrestricted|limited|allowed_hosts/i],
    ["config.networking", { config: { networking: "unrestricted" } }, /object/i],
    ["config.networking.allowedHosts", { config: { networking: { type: "allowed_hosts", allowedHosts: [] } } }, /at least one host/],
    ["config.networking.allowedHosts[0]", { config: { networking: { type: "allowed_hosts", allowedHosts: ["https://x.com"] } } }, /bare hostname/],
    ["config.networking.allowedHosts[1]", { config: { networking: { type: "allowed_hosts", allowedHosts: ["ok.com", "x.com:443"] } } }, /no scheme, port or path/],
    ["config.networking.allowedHosts[0]", { config: { networking: { type: "allowed_hosts", allowedHosts: ["x.com/path"] } } }, /bare hostname/],
    ["config.packages", { config: { packages: { gem: ["rails"] } } }, /Unrecognized key: "gem"/],
    ["config.networking", { config: { type: "self_hosted", networking: { type: "limited" } } }, /only valid for cloud/],
    ["config.setupScript", { config: { type: "self_hosted", setupScript: "x" } }, /only valid for cloud/],
    ["metadata", { metadata: Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, "v"])) }, /16 keys/],
    ["deletionPolicy", { deletionPolicy: "forget" }, /archive/],
    ["adoptId", { adoptId: "environment_1" }, /env_ id/],
  ])("%s: an invalid value is rejected on that path", (property, patch, rule) => {
    expectFailure(kind, { name: "e", ...patch }, property, rule);
  });

  test("unknown values are tolerated", () => {
    expect(engine.check(kind, {}, { name: "e", config: { networking: { type: "allowed_hosts", allowedHosts: [UNKNOWN] } } }).failures).toBeUndefined();
    expect(engine.check(kind, {}, { name: UNKNOWN, config: UNKNOWN }).failures).toBeUndefined();
  });
});

describe("diff", () => {
  test("no changes against its own state; server defaults and key order are not changes", () => {
    expect(engine.diff(kind, live.id, state(), checked(kind, program))).toEqual({ changes: false });
    const olds = { ...state(), config: { ...state().config, packages: { apt: ["curl"], pip: [] } }, metadata: { tier: "gold", team: "platform" } };
    expect(engine.diff(kind, live.id, olds, checked(kind, { ...program, description: "" }))).toEqual({ changes: false });
  });

  test.each([
    ["config", { config: { ...program.config, networking: { type: "unrestricted" } } }],
    ["config", { config: { ...program.config, setupScript: undefined } }],
    ["description", { description: "CI" }],
    ["metadata", { metadata: { team: "platform" } }],
  ])("a change of %s is an in-place update", (key, patch) => {
    const news = checked(kind, { ...program, ...patch });
    expect(engine.changedFields(kind, state(), news)).toEqual([key]);
    expect(engine.diff(kind, live.id, state(), news)).toEqual({ replaces: [] });
  });

  test("archived out of band: replace", () => {
    expect(engine.diff(kind, live.id, { ...state(), archived: true, status: "archived" }, checked(kind, program))).toEqual({ replaces: ["archived"], changes: true });
  });
});

describe("normalization", () => {
  test("toInputs round-trips to no diff, including the older allowlist spelling", () => {
    const inputs = kind.toInputs(live, { deletionPolicy: "archive" });
    expect(engine.diff(kind, live.id, stateOf(kind, inputs, live, {}), checked(kind, program))).toEqual({ changes: false });
    const old = { ...live, config: { ...live.config, networking: { type: "allowlist", allowlist: live.config.networking.allowed_hosts } } };
    expect(kind.toInputs(old, {}).config.networking).toEqual(checked(kind, program).config.networking);
  });

  test("outputs: status and archived from the live object, no id/urn", () => {
    const outs = stateOf(kind, checked(kind, program), { ...live, status: "archived", archived: true }, {});
    expect(outs).toMatchObject({ environmentId: live.id, status: "archived", archived: true });
    expect(outs).not.toHaveProperty("id");
    expect(outs).not.toHaveProperty("urn");
  });
});

describe("update body", () => {
  test("config replaced whole in API casing, cleared description null, metadata patch", async () => {
    server.reply({ json: live });
    const olds = stateAfterCreate(kind, checked(kind, { ...program, description: "old" }), live);
    await engine.update(server.api(), kind, live.id, olds, checked(kind, { ...program, config: { networking: { type: "limited", allowPackageManagers: true } }, metadata: { team: "infra" } }));
    expect(server.sent()).toEqual([
      [`PUT /environments/${live.id}`, { description: null, config: { type: "cloud", networking: { type: "limited", allow_package_managers: true } }, metadata: { tier: null, team: "infra" } }],
    ]);
  });

  test("unchanged fields are omitted", async () => {
    server.reply({ json: live });
    await engine.update(server.api(), kind, live.id, state(), checked(kind, { ...program, name: "ci-2" }));
    expect(server.sent()).toEqual([[`PUT /environments/${live.id}`, { name: "ci-2" }]]);
  });
});

describe("an environment archived out of band that reports only archived_at", () => {
  test("reads as archived, so the next diff replaces it", async () => {
    const olds = state();
    const { archived: _a, status: _s, ...bare } = live;
    server.reply({ json: { ...bare, archived_at: "2026-05-19T00:00:00Z" } });
    const r = await engine.read(server.api(), kind, live.id, olds);
    expect(server.requests.map((q) => `${q.method} ${q.path}`)).toEqual([`GET /environments/${live.id}`]);
    expect(r.props).toMatchObject({ environmentId: live.id, archived: true, status: "archived" });
    expect(engine.diff(kind, live.id, r.props!, checked(kind, program))).toEqual({ replaces: ["archived"], changes: true });
  });
});
