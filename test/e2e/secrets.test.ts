// Secrets never surface: the PAT (`qoder:token`) and vault credential tokens appear in no
// plaintext: not in the state (at rest, or outside secret envelopes in the decrypted export),
// not in anything Pulumi printed (at -v=9, which includes the provider's stderr), not in the
// error of a failing update, not in the emulator's stats, state dump or log.
import * as fs from "node:fs";
import * as path from "node:path";
import { randomBytes } from "node:crypto";
import { apiOf, outsideVault } from "../../testkit/inventory";
import { typeToken } from "../../testkit/kit";
import { stackSpecs, type StackShape } from "../../testkit/resource-specs";
import { resourcesOf, type OpResult, type TestStack } from "../../testkit/stack";
import { useStacks } from "../../testkit/stacks";
import { GH, JIRA, secretToken, SLACK } from "../../testkit/vaults";

/** Pulumi's marker key of a secret value in exported state. */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";

const token = `pt-secret-${randomBytes(12).toString("hex")}`;
const vaultToken = `vt-secret-${randomBytes(12).toString("hex")}`;
const credToken = `ct-secret-${randomBytes(12).toString("hex")}`;
const rotated = `rt-secret-${randomBytes(12).toString("hex")}`;
const secrets = { token, vaultToken, credToken, rotated };

// No reset between tests: the emulator's output and stats then hold both tests' traffic.
const suite = useStacks("reliability", { resetEach: false, emulatorToken: token });
let externalVault: string;
let vaults: TestStack;
let verbose: TestStack;
beforeAll(async () => {
  vaults = await suite.newStack("secrets-vault", { program: "vault" });
  // No retries: the failing update below fails at once instead of backing off.
  verbose = await suite.newStack("secrets", { env: { QODER_MAX_RETRIES: "0" } });
  externalVault = (await apiOf(suite.emu).vaults.create({ display_name: "managed-elsewhere" })).id;
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
  const { emu } = suite;
  const stack = vaults;
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
  const dumps = [JSON.stringify(await emu.stats()), JSON.stringify(await emu.state()), emu.output()];
  for (const d of dumps) expect(leaked(d)).toEqual([]);
});

/**
 * Every file under a directory, concatenated (state, backups, history, PULUMI_HOME logs, the
 * project). Symlinks are not followed: the project's node_modules links to the repository's.
 */
function filesUnder(dir: string): string {
  if (!fs.existsSync(dir)) return "";
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .map((e) => {
      const p = path.join(dir, e.name);
      return e.isDirectory() ? filesUnder(p) : e.isFile() ? fs.readFileSync(p, "latin1") : "";
    })
    .join("\n");
}

/** Which secrets occur in `text`, by name: the test never prints a value itself. */
function leaks(text: string): string[] {
  return Object.entries(secrets)
    .filter(([, v]) => text.includes(v))
    .map(([k]) => k);
}

test("the PAT and credential tokens appear nowhere: state, files at rest, -v=9 logs, provider stderr, errors", async () => {
  const transcripts: OpResult[] = [];
  const op = async (name: Parameters<TestStack["run"]>[0], expectOk = true) => {
    const r = await stack.run(name, { verbose: true });
    transcripts.push(r);
    if (expectOk && !r.ok) throw new Error(`pulumi ${name} failed (secrets masked): ${leaks(r.error ?? "").length ? "[error holds a secret]" : r.error}`);
    return r;
  };
  const { emu } = suite;
  const stack = verbose;
  const shape: StackShape = { agents: 1, others: true, vaultToken, credentialToken: credToken, outsideVaultId: await outsideVault(emu) };
  stack.setArgs({ resources: stackSpecs(shape) });

  await op("up");
  // Control: the search does find the secrets where they are meant to be: in the state's secret
  // inputs, decrypted on request (a refresh then drops the tokens: the API never returns them).
  expect(leaks(JSON.stringify(await stack.exportState())).sort()).toEqual(["credToken", "token", "vaultToken"]);
  const exports = [(await stack.ok("exportEncrypted")).state];
  await op("refresh");
  exports.push((await stack.ok("exportEncrypted")).state);
  // A failing update: both tokens rotate while the API refuses every write.
  stack.setArgs({ resources: stackSpecs({ ...shape, vaultToken: rotated, credentialToken: rotated }) });
  await emu.setFaults({ errorRate: 1, errorStatus: 503, methods: ["POST", "PUT", "DELETE"] });
  const failed = await op("up", false);
  await emu.setFaults({});
  expect(failed.ok).toBe(false);
  expect(failed.error).toMatch(/503/);
  exports.push((await stack.ok("exportEncrypted")).state);
  stack.setArgs({ resources: stackSpecs(shape) });
  await op("destroy");

  exports.push((await stack.ok("exportEncrypted")).state);
  expect(JSON.stringify(exports[0])).toContain("ciphertext"); // secrets were recorded, encrypted
  const places: Record<string, string> = {
    "exported state (pulumi stack export)": JSON.stringify(exports),
    "state files at rest": filesUnder(path.join(stack.dir, "state")),
    "PULUMI_HOME (logs, plugins, workspaces)": filesUnder(path.join(stack.dir, "home")),
    "work dir": filesUnder(path.join(stack.dir, "work")),
    "CLI stdout + stderr at -v=9 (provider stderr included)": transcripts.map((t) => `${t.raw}\n${t.log}\n${t.stderr ?? ""}`).join("\n"),
    "operation errors": transcripts.map((t) => t.error ?? "").join("\n"),
    "emulator output": emu.output(),
  };
  const found = Object.entries(places).flatMap(([where, text]) => leaks(text).map((s) => `${s} in ${where}`));
  expect(found).toEqual([]);
  // The -v=9 logs were really captured (a vacuous search would pass too).
  expect(transcripts[0].stderr?.length ?? 0).toBeGreaterThan(10_000);
  // The CLI ran the project through the nodejs language host beside it (no inline program).
  expect(transcripts[0].stderr).toMatch(/Launching plugin 'nodejs' from '[^']*\/pulumi-language-nodejs'/);
});
