import { stableIdempotencyKey } from "../../provider/create-key";
import { create, diff, read, remove } from "../../provider/engine";
import { withKeyedToken } from "../../provider/kinds/credentials";
import { UNKNOWN } from "../../provider/json";
import { vaultCredentialKind } from "../../provider/kinds/vault-credential";
import { tokenMatches } from "../../provider/secret-digest";
import { checked, failuresOf, idempotencyKey, stateAfterCreate, useApiServer } from "./provider-kind-helpers";
import { authCredential, flatCredential } from "./vault-fixtures";

const server = useApiServer();
const VAULT_ID = "vault_0123456789abcdef0123456789abcdef";
const OTHER_VAULT = "vault_ffffffffffffffffffffffffffffffff";
const URL = "https://mcp.github.example/mcp";
const program = { vaultId: VAULT_ID, mcpServerUrl: URL, token: "tok-1" };

function created(p: any = program) {
  const inputs = checked(vaultCredentialKind, p);
  return stateAfterCreate(vaultCredentialKind, inputs, flatCredential("vcred_1", inputs.vaultId, inputs.mcpServerUrl, inputs.protocol));
}

describe("check", () => {
  test("defaults", () => {
    expect(checked(vaultCredentialKind, program)).toEqual({ ...program, protocol: "streamable_http", deletionPolicy: "delete" });
  });

  test.each([
    [{ vaultId: "vault_123" }, "vaultId", /vault_ id/],
    [{ vaultId: "agent_0123456789abcdef0123456789abcdef" }, "vaultId", /vault_ id/],
    [{ mcpServerUrl: "mcp.example" }, "mcpServerUrl", /absolute URL/],
    [{ protocol: "grpc" }, "protocol", /sse|streamable_http/],
    [{ token: "" }, "token", /token must not be empty/],
    [{ deletionPolicy: "forget" }, "deletionPolicy", /delete|archive/],
    [{ displayName: "x" }, "(inputs)", /displayName/],
  ])("%j fails on %s", (extra, property, reason) => {
    const failures = failuresOf(vaultCredentialKind, { ...program, ...extra });
    expect([...new Set(failures.map((f) => f.property))]).toEqual([property]); // a bad URL fails two rules
    expect(failures[0].reason).toMatch(reason);
  });

  test("the vault id of a vault created in the same run is unknown during preview: tolerated", () => {
    expect(checked(vaultCredentialKind, { ...program, vaultId: UNKNOWN }).vaultId).toBe(UNKNOWN);
  });
});

describe("diff", () => {
  test("state holds a digest, not the token; unchanged is no diff", () => {
    const state = created();
    expect(JSON.stringify(state)).not.toContain("tok-1");
    expect(state).toMatchObject({ credentialId: "vcred_1", vaultId: VAULT_ID, mcpServerUrl: URL, protocol: "streamable_http", status: "active", archived: false });
    expect(tokenMatches("tok-1", state)).toBe(true);
    expect(diff(vaultCredentialKind, "vcred_1", state, checked(vaultCredentialKind, program))).toEqual({ changes: false });
  });

  test.each([
    ["token", { token: "tok-2" }],
    ["mcpServerUrl", { mcpServerUrl: "https://other.example/mcp" }],
    ["protocol", { protocol: "sse" }],
    ["vaultId", { vaultId: OTHER_VAULT }],
  ])("a new %s replaces the credential, deleting the old one first", (field, change) => {
    const r = diff(vaultCredentialKind, "vcred_1", created(), checked(vaultCredentialKind, { ...program, ...change }));
    expect(r).toEqual({ replaces: [field], deleteBeforeReplace: true });
  });

  test("an unknown token during preview is a possible replacement", () => {
    expect(diff(vaultCredentialKind, "vcred_1", created(), checked(vaultCredentialKind, { ...program, token: UNKNOWN })).replaces).toEqual(["token"]);
  });

  test("only the deletion policy changed: an update with no replacement", () => {
    expect(diff(vaultCredentialKind, "vcred_1", created(), checked(vaultCredentialKind, { ...program, deletionPolicy: "archive" }))).toEqual({ replaces: [] });
  });
});

describe("read", () => {
  test.each([
    ["flat", flatCredential],
    ["auth{}", authCredential],
  ])("the %s shape maps back to the same inputs and keeps the digest", async (_shape, shape) => {
    const state = created({ ...program, protocol: "sse" });
    server.reply({ json: shape("vcred_1", VAULT_ID, URL, "sse") });
    const r = await read(server.api(), vaultCredentialKind, "vcred_1", state);
    expect(server.sent()).toEqual([[`GET /vaults/${VAULT_ID}/credentials/vcred_1`]]);
    expect(r.inputs).toEqual({ vaultId: VAULT_ID, mcpServerUrl: URL, protocol: "sse", deletionPolicy: "delete" });
    expect(r.props).toMatchObject({ credentialId: "vcred_1", tokenSalt: state.tokenSalt, tokenDigest: state.tokenDigest, archived: false });
    expect(diff(vaultCredentialKind, "vcred_1", r.props!, checked(vaultCredentialKind, { ...program, protocol: "sse" }))).toEqual({ changes: false });
  });

  test("archived out of band: refresh marks it archived and the next diff replaces it", async () => {
    const state = created();
    server.reply({ json: { ...flatCredential("vcred_1", VAULT_ID, URL), status: "archived", archived_at: "2026-05-19T00:00:00Z" } });
    const r = await read(server.api(), vaultCredentialKind, "vcred_1", state);
    expect(r.props).toMatchObject({ status: "archived", archived: true });
    expect(diff(vaultCredentialKind, "vcred_1", r.props!, checked(vaultCredentialKind, program))).toMatchObject({ replaces: ["archived"], changes: true });
  });
});

test("destroy follows deletionPolicy: delete by default, archive on request", async () => {
  server.reply({ status: 204 }, { json: { ...flatCredential("vcred_1", VAULT_ID, URL), status: "archived" } });
  await remove(server.api(), vaultCredentialKind, "vcred_1", created());
  await remove(server.api(), vaultCredentialKind, "vcred_1", created({ ...program, deletionPolicy: "archive" }));
  expect(server.sent()).toEqual([[`DELETE /vaults/${VAULT_ID}/credentials/vcred_1`], [`POST /vaults/${VAULT_ID}/credentials/vcred_1/archive`]]);
});

test("the create's Idempotency-Key follows the token without being a fast hash of it", async () => {
  // Made just now: a create, not the replay of an earlier one (which the engine would re-read).
  server.fallback = () => ({ json: { ...flatCredential("vcred_1", VAULT_ID, URL), created_at: new Date().toISOString() } });
  const inputs: Record<string, any> = { ...checked(vaultCredentialKind, program), __createKey: "proj/stack/vaultCredential/gh" };
  for (const token of ["tok-1", "tok-1", "tok-2"]) await create(server.api(), vaultCredentialKind, { ...inputs, token });
  expect(server.sent().map(([call]) => call)).toEqual(Array(3).fill(`POST /vaults/${VAULT_ID}/credentials`));
  const keys = server.requests.map(idempotencyKey);
  expect(keys[1]).toBe(keys[0]); // a retried create replays
  expect(keys[2]).not.toBe(keys[0]); // a rotated token is a new request
  const { __createKey, deletionPolicy: _d, ...body } = inputs;
  expect(keys[0]).not.toBe(stableIdempotencyKey(__createKey, "vaultCredential", body));
  expect(keys[0]).toBe(stableIdempotencyKey(__createKey, "vaultCredential", withKeyedToken(body)));
  expect(withKeyedToken(body).token).toMatch(/^[0-9a-f]{64}$/);
});
