import { changedFields, check, diff, read, update } from "../../provider/engine";
import { UNKNOWN } from "../../provider/json";
import { vaultKind, type VaultInputs, type VaultState } from "../../provider/kinds/vault";
import { tokenMatches } from "../../provider/secret-digest";
import { checked, failuresOf, stateAfterCreate, useApiServer } from "./provider-kind-helpers";
import { page, type Recorded, type Reply } from "./sdk-fake-server";
import { authCredential, flatCredential } from "./vault-fixtures";

const server = useApiServer();
const VAULT_ID = "vault_0123456789abcdef0123456789abcdef";
const GH = "https://mcp.github.example/mcp";
const JIRA = "https://jira.example/mcp";

function vaultObject(inputs: any) {
  return { id: VAULT_ID, type: "vault", display_name: inputs.displayName, status: "active", metadata: inputs.metadata, archived_at: null, created_at: "2026-05-18T15:34:16.874Z", updated_at: "2026-05-18T15:34:16.874Z" };
}

/** State after a create that returned one flat credential per input credential. */
function created(program: any) {
  const inputs = checked(vaultKind, program);
  const credentials = inputs.credentials.map((c: any, i: number) => flatCredential(`vcred_${i}`, VAULT_ID, c.mcpServerUrl, c.protocol));
  return { inputs, state: stateAfterCreate(vaultKind, inputs, { id: VAULT_ID, vault: vaultObject(inputs), credentials }) };
}

const program = { displayName: "tools", metadata: { team: "a" }, credentials: [{ mcpServerUrl: GH, token: "tok-gh-1" }, { mcpServerUrl: JIRA, protocol: "sse", token: "tok-jira-1" }] };

describe("credentials managed elsewhere (input unset)", () => {
  test("live credentials are not compared, and an update writes nothing", async () => {
    const { state } = created(program);
    const news = checked(vaultKind, { displayName: "tools", metadata: { team: "a" } });
    expect(changedFields(vaultKind, state, news)).toEqual([]);
    const outs = await vaultKind.update(server.api(), VAULT_ID, state as VaultState, news as VaultInputs, ["credentials"]);
    expect(server.sent()).toEqual([]);
    expect(outs.credentials.map((c) => c.mcpServerUrl).sort()).toEqual([GH, JIRA].sort());
  });

  test("setting [] is different: the vault then owns an empty set", () => {
    const { state } = created(program);
    expect(changedFields(vaultKind, state, checked(vaultKind, { displayName: "tools", metadata: { team: "a" }, credentials: [] }))).toEqual(["credentials"]);
  });
});

describe("check", () => {
  test("defaults", () => {
    // No credentials key: the vault then does not manage credentials at all.
    expect(checked(vaultKind, { displayName: "v" })).toEqual({ displayName: "v", metadata: {}, deletionPolicy: "delete" });
    expect(checked(vaultKind, { displayName: "v", credentials: [{ mcpServerUrl: GH, token: "t" }] }).credentials).toEqual([{ mcpServerUrl: GH, protocol: "streamable_http", token: "t" }]);
  });

  test.each([
    [{ displayName: undefined }, "displayName", /expected string/i],
    [{ displayName: "" }, "displayName", />=1|at least|too small/i],
    [{ displayName: "x".repeat(256) }, "displayName", /255/],
    [{ credentials: [{ mcpServerUrl: "ftp://x.example/mcp", token: "t" }] }, "credentials[0].mcpServerUrl", /http\(s\)/],
    [{ credentials: [{ mcpServerUrl: "not a url", token: "t" }] }, "credentials[0].mcpServerUrl", /absolute URL/],
    [{ credentials: [{ mcpServerUrl: GH, protocol: "websocket", token: "t" }] }, "credentials[0].protocol", /sse|streamable_http/],
    [{ credentials: [{ mcpServerUrl: GH, token: "" }] }, "credentials[0].token", /token must not be empty/],
    [{ credentials: [{ mcpServerUrl: GH, token: "a" }, { mcpServerUrl: GH, token: "b" }] }, "credentials[1].mcpServerUrl", /duplicate credential/],
    [{ deletionPolicy: "keep" }, "deletionPolicy", /delete|archive/],
    [{ credentials: [{ mcpServerUrl: GH, token: "t", type: "oauth" }] }, "credentials[0]", /type/],
  ])("%j fails on %s", (extra, property, reason) => {
    const failures = failuresOf(vaultKind, { displayName: "v", ...extra });
    expect([...new Set(failures.map((f) => f.property))]).toEqual([property]); // a bad URL fails two rules
    expect(failures[0].reason).toMatch(reason);
  });

  test("failure messages never carry the token", () => {
    const failures = failuresOf(vaultKind, { displayName: "", credentials: [{ mcpServerUrl: "bad", protocol: "x", token: "tok-SECRET-zzz" }] });
    expect(JSON.stringify(failures)).not.toContain("tok-SECRET-zzz");
  });

  test("an unknown token or URL is tolerated during preview", () => {
    const r = checked(vaultKind, { displayName: "v", credentials: [{ mcpServerUrl: UNKNOWN, token: UNKNOWN }] });
    expect(r.credentials).toEqual([{ mcpServerUrl: UNKNOWN, token: UNKNOWN }]);
  });
});

describe("outputs and diff", () => {
  test("state keeps a salted digest per credential, never the token", () => {
    const { state } = created(program);
    expect(JSON.stringify(state)).not.toMatch(/tok-gh-1|tok-jira-1/);
    // kept sorted by URL, whatever order the API answers in
    expect(state.credentialIds).toEqual(["vcred_1", "vcred_0"]);
    const [jira, gh] = state.credentials;
    expect(gh).toMatchObject({ credentialId: "vcred_0", mcpServerUrl: GH, protocol: "streamable_http", status: "active" });
    expect(jira.protocol).toBe("sse");
    expect(gh.tokenSalt).toMatch(/^[0-9a-f]{32}$/);
    expect(gh.tokenSalt).not.toBe(jira.tokenSalt);
    expect(tokenMatches("tok-gh-1", gh)).toBe(true);
    expect(tokenMatches("tok-gh-2", gh)).toBe(false);
  });

  test("unchanged, or the same credentials in another order: no diff", () => {
    const { state } = created(program);
    expect(diff(vaultKind, VAULT_ID, state, checked(vaultKind, program))).toEqual({ changes: false });
    const reordered = { ...program, credentials: [...program.credentials].reverse() };
    expect(diff(vaultKind, VAULT_ID, state, checked(vaultKind, reordered))).toEqual({ changes: false });
  });

  test.each([
    ["a rotated token", { credentials: [{ mcpServerUrl: GH, token: "tok-gh-2" }, program.credentials[1]] }],
    ["an added credential", { credentials: [...program.credentials, { mcpServerUrl: "https://new.example/mcp", token: "n" }] }],
    ["a removed credential", { credentials: [program.credentials[0]] }],
    ["a protocol change", { credentials: [program.credentials[0], { ...program.credentials[1], protocol: "streamable_http" }] }],
  ])("%s is an in-place update of credentials", (_what, change) => {
    const { state } = created(program);
    const news = checked(vaultKind, { ...program, ...change });
    expect(changedFields(vaultKind, state, news)).toEqual(["credentials"]);
    expect(diff(vaultKind, VAULT_ID, state, news)).toEqual({ replaces: [] });
  });

  test("displayName or metadata changes replace the vault (the API has no vault update)", () => {
    const { state } = created(program);
    expect(diff(vaultKind, VAULT_ID, state, checked(vaultKind, { ...program, displayName: "renamed" }))).toEqual({ replaces: ["displayName"] });
    expect(diff(vaultKind, VAULT_ID, state, checked(vaultKind, { ...program, metadata: {} }))).toEqual({ replaces: ["metadata"] });
  });

  test("an archived vault (seen by refresh) is replaced", () => {
    const { state } = created(program);
    expect(diff(vaultKind, VAULT_ID, { ...state, archived: true, status: "archived" }, checked(vaultKind, program))).toEqual({ replaces: ["archived"], changes: true });
  });
});

describe("read", () => {
  test.each([
    ["flat", flatCredential],
    ["auth{}", authCredential],
  ])("the %s credential shape maps back to inputs and keeps each digest", async (_shape, shape) => {
    const { inputs, state } = created(program);
    const live = [shape("vcred_1", VAULT_ID, JIRA, "sse"), shape("vcred_0", VAULT_ID, GH, "streamable_http")].reverse();
    server.reply({ json: vaultObject(inputs) }, { json: page(live, false) });
    const r = await read(server.api(), vaultKind, VAULT_ID, state);
    expect(server.sent()).toEqual([[`GET /vaults/${VAULT_ID}`], [`GET /vaults/${VAULT_ID}/credentials`]]);
    expect(r.inputs).toEqual({
      displayName: "tools",
      metadata: { team: "a" },
      credentials: [{ mcpServerUrl: JIRA, protocol: "sse" }, { mcpServerUrl: GH, protocol: "streamable_http" }],
      // kept from state: which credential a later plan shows as rotated (never the token)
      credentialRevisions: { [GH]: 1, [JIRA]: 1 },
      deletionPolicy: "delete",
    });
    expect(r.props!.credentials).toEqual(state.credentials);
    expect(diff(vaultKind, VAULT_ID, r.props!, checked(vaultKind, program))).toEqual({ changes: false });
  });

  test("a credential added out of band has no digest, so the next diff converges it", async () => {
    const { inputs, state } = created(program);
    const live = [flatCredential("vcred_0", VAULT_ID, GH), flatCredential("vcred_1", VAULT_ID, JIRA, "sse"), flatCredential("vcred_9", VAULT_ID, "https://rogue.example/mcp")];
    server.reply({ json: vaultObject(inputs) }, { json: page(live, false) });
    const r = await read(server.api(), vaultKind, VAULT_ID, state);
    expect(r.props!.credentials.find((c: any) => c.credentialId === "vcred_9")).toMatchObject({ tokenSalt: "", tokenDigest: "" });
    expect(changedFields(vaultKind, r.props!, checked(vaultKind, program))).toEqual(["credentials"]);
  });
});

describe("update", () => {
  async function apply(change: any) {
    const { state } = created(program);
    let n = 0;
    server.requests.length = 0;
    // A create answers the credential it was sent; a delete, 204.
    server.fallback = (q: Recorded): Reply =>
      q.method === "POST" ? { json: flatCredential(`vcred_new${n++}`, VAULT_ID, q.json().mcp_server_url, q.json().protocol) } : { status: 204 };
    const { outs } = await update(server.api(), vaultKind, VAULT_ID, state, checked(vaultKind, { ...program, ...change }));
    return { calls: server.sent(), outs };
  }

  test("rotation: exactly one credential delete, then one create with the new token", async () => {
    const { calls, outs } = await apply({ credentials: [{ mcpServerUrl: GH, token: "tok-gh-2" }, program.credentials[1]] });
    expect(calls).toEqual([
      [`DELETE /vaults/${VAULT_ID}/credentials/vcred_0`],
      [`POST /vaults/${VAULT_ID}/credentials`, { mcp_server_url: GH, protocol: "streamable_http", type: "static_bearer", access_token: "tok-gh-2" }],
    ]);
    expect(outs.vaultId).toBe(VAULT_ID);
    expect(outs.credentialIds.sort()).toEqual(["vcred_1", "vcred_new0"]);
    const rotated = outs.credentials.find((c: any) => c.mcpServerUrl === GH);
    expect(tokenMatches("tok-gh-2", rotated)).toBe(true);
    expect(JSON.stringify(outs)).not.toContain("tok-gh-2");
    expect(diff(vaultKind, VAULT_ID, outs, checked(vaultKind, { ...program, credentials: [{ mcpServerUrl: GH, token: "tok-gh-2" }, program.credentials[1]] }))).toEqual({ changes: false });
  });

  test("adding creates one credential; removing deletes one; nothing else is touched", async () => {
    const added = await apply({ credentials: [...program.credentials, { mcpServerUrl: "https://new.example/mcp", token: "n" }] });
    expect(added.calls.map((c) => c[0])).toEqual([`POST /vaults/${VAULT_ID}/credentials`]);
    const removed = await apply({ credentials: [program.credentials[1]] });
    expect(removed.calls).toEqual([[`DELETE /vaults/${VAULT_ID}/credentials/vcred_0`]]);
    expect(removed.outs.credentialIds).toEqual(["vcred_1"]);
  });
});

test("check keeps a revision per credential URL, bumped only when that token changes", () => {
  const creds = (gh: string, jira: string) => ({ displayName: "tools", credentials: [{ mcpServerUrl: GH, token: gh }, { mcpServerUrl: JIRA, token: jira }] });
  const first = checked(vaultKind, creds("a", "b"));
  expect(first.credentialRevisions).toEqual({ [GH]: 1, [JIRA]: 1 });
  const same = check(vaultKind, first, creds("a", "b")).inputs;
  expect(same.credentialRevisions).toEqual({ [GH]: 1, [JIRA]: 1 });
  const rotated = check(vaultKind, same, creds("a2", "b")).inputs;
  expect(rotated.credentialRevisions).toEqual({ [GH]: 2, [JIRA]: 1 });
  expect(JSON.stringify(rotated.credentialRevisions)).not.toMatch(/a2/);
});
