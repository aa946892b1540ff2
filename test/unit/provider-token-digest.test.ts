// Token digests in state: the format state already holds keeps matching, and the provider's diff
// computes them on libuv's thread pool, never inline on the event loop, where every other
// resource's read and diff in the same provider process would wait ~50 ms behind each one.
import * as impl from "../../provider/impl";
import { vaultKind } from "../../provider/kinds/vault";
import { vaultCredentialKind } from "../../provider/kinds/vault-credential";
import { checked, stateAfterCreate } from "./provider-kind-helpers";
import { flatCredential } from "./vault-fixtures";

// The module object itself (not a namespace copy), so that spying sees the provider's calls.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const crypto: typeof import("node:crypto") = require("node:crypto");
const VAULT_ID = "vault_0123456789abcdef0123456789abcdef";
const GH = "https://mcp.github.example/mcp";
const JIRA = "https://jira.example/mcp";

/** A digest as state written by another process holds it: nothing in this process has seen it. */
function foreignDigest(token: string): { tokenSalt: string; tokenDigest: string } {
  const tokenSalt = crypto.randomBytes(16).toString("hex");
  return { tokenSalt, tokenDigest: crypto.scryptSync(token, tokenSalt, 32, { N: 1 << 14, r: 8, p: 1 }).toString("hex") };
}

function credentialState(token: string) {
  const inputs = checked(vaultCredentialKind, { vaultId: VAULT_ID, mcpServerUrl: GH, token });
  return { ...stateAfterCreate(vaultCredentialKind, inputs, flatCredential("vcred_1", VAULT_ID, GH)), ...foreignDigest(token) };
}

function vaultState(tokens: { gh: string; jira: string }) {
  const args = { displayName: "tools", credentials: [{ mcpServerUrl: GH, token: tokens.gh }, { mcpServerUrl: JIRA, token: tokens.jira }] };
  const inputs = checked(vaultKind, args);
  const vault = { id: VAULT_ID, type: "vault", display_name: "tools", status: "active", metadata: {}, archived_at: null, created_at: "2026-05-18T15:34:16.874Z", updated_at: "2026-05-18T15:34:16.874Z" };
  const state = stateAfterCreate(vaultKind, inputs, { id: VAULT_ID, vault, credentials: [flatCredential("vcred_0", VAULT_ID, GH), flatCredential("vcred_1", VAULT_ID, JIRA)] });
  state.credentials = state.credentials.map((c: any) => ({ ...c, ...foreignDigest(c.mcpServerUrl === GH ? tokens.gh : tokens.jira) }));
  return { state, args };
}

let inline: jest.SpyInstance;
beforeEach(() => {
  inline = jest.spyOn(crypto, "scryptSync");
});
afterEach(() => inline.mockRestore());

test("a standalone credential: the same token is no change, a rotated one a replacement, no digest inline", async () => {
  const state = credentialState("tok-1");
  inline.mockClear(); // building the state used it; the provider must not
  const same = checked(vaultCredentialKind, { vaultId: VAULT_ID, mcpServerUrl: GH, token: "tok-1" });
  const rotated = checked(vaultCredentialKind, { vaultId: VAULT_ID, mcpServerUrl: GH, token: "tok-2" });
  expect(await impl.diff("vaultCredential", "vcred_1", state, same)).toEqual({ changes: false });
  expect(await impl.diff("vaultCredential", "vcred_1", state, rotated)).toEqual({ replaces: ["token"], deleteBeforeReplace: true });
  expect(inline).not.toHaveBeenCalled();
});

test("a vault's credentials: each digested off the event loop, matched by server URL", async () => {
  const { state, args } = vaultState({ gh: "tok-gh-1", jira: "tok-jira-1" });
  inline.mockClear();
  expect(await impl.diff("vault", VAULT_ID, state, checked(vaultKind, args))).toEqual({ changes: false });
  const rotated = { ...args, credentials: [args.credentials[0], { mcpServerUrl: JIRA, token: "tok-jira-2" }] };
  expect((await impl.diff("vault", VAULT_ID, state, checked(vaultKind, rotated))).replaces).toEqual([]);
  expect(inline).not.toHaveBeenCalled();
});
