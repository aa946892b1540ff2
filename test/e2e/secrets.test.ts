// Vault tokens and the PAT never appear in plaintext: not in the state (at rest, or outside
// secret envelopes in the decrypted export), not in anything Pulumi printed, not in the
// emulator's stats, state dump or log.
import { emulatorAdmin } from "./harness/checks";
import { typeToken, useKit } from "./harness/kit";
import { resourcesOf, type OpResult } from "./harness/stack";
import { GH, JIRA, secretToken, SLACK } from "./harness/vaults";

/** Pulumi's marker key of a secret value in exported state. */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";

const kit = useKit("vault");
let externalVault: string;
beforeAll(async () => {
  externalVault = (await kit.api.vaults.create({ display_name: "managed-elsewhere" })).id;
});

/** The deployment with every secret envelope replaced by a marker. */
function outsideSecrets(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(outsideSecrets);
  if (v && typeof v === "object") {
    if (SECRET_SIG in v) return "[secret]";
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, outsideSecrets(x)]));
  }
  return v;
}

test("up, refresh and destroy keep every token out of state, output and the server's dumps", async () => {
  const { emu, stack } = kit;
  const tokens = { gh: secretToken("gh"), jira: secretToken("jira"), ext: secretToken("ext") };
  const secrets: Record<string, string> = { ...tokens, pat: emu.token };
  /** Names of the secrets found in a text (values are never printed by a failing assertion). */
  const leaked = (text: string) => Object.keys(secrets).filter((k) => text.includes(secrets[k]));

  stack.setArgs({
    vaults: { tools: { displayName: "tools", credentials: [{ mcpServerUrl: GH, token: tokens.gh }, { mcpServerUrl: JIRA, token: tokens.jira }] } },
    credentials: { ext: { vaultId: externalVault, mcpServerUrl: SLACK, token: tokens.ext } },
  });
  const runs: OpResult[] = [await stack.up()];
  const exported = [await stack.exportState()];
  const atRest = [stack.stateFiles()];
  runs.push(await stack.refresh());
  exported.push(await stack.exportState());
  atRest.push(stack.stateFiles());
  runs.push(await stack.destroy());
  atRest.push(stack.stateFiles());

  // The decrypted export holds the tokens only inside secret envelopes: the vault's credentials
  // input, the credential's token input. (That they are there proves the search can find them.)
  const [vault] = resourcesOf(exported[0], typeToken("Vault"));
  const [cred] = resourcesOf(exported[0], typeToken("VaultCredential"));
  expect(vault.inputs.credentials[SECRET_SIG]).toBeDefined();
  expect(vault.outputs.credentials[SECRET_SIG]).toBeDefined();
  expect(leaked(JSON.stringify(vault.inputs.credentials))).toEqual(["gh", "jira"]);
  expect(leaked(JSON.stringify(cred.inputs.token))).toEqual(["ext"]);
  expect(cred.outputs).not.toHaveProperty("token");
  for (const state of exported) expect(leaked(JSON.stringify(outsideSecrets(state)))).toEqual([]);

  // At rest every secret is ciphertext; nothing Pulumi or the provider printed carries one.
  expect(atRest[0]).toContain(vault.id);
  for (const files of atRest) expect(leaked(files)).toEqual([]);
  for (const r of runs) expect(leaked(r.raw)).toEqual([]);

  // The server side of the test: request stats (with idempotency keys), the state dump, its log.
  const dumps = [JSON.stringify(await emu.stats()), JSON.stringify(await emulatorAdmin(emu, "state")), emu.output()];
  for (const d of dumps) expect(leaked(d)).toEqual([]);
});
