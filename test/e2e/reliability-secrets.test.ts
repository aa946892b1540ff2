// Secrets never surface: the PAT (`qoder:token`) and vault credential tokens are searched for in
// the exported state, the state files at rest, every byte the Pulumi CLI printed at -v=9 (which
// includes the provider process's stderr) and the error of a failing update.
import * as fs from "node:fs";
import * as path from "node:path";
import { randomBytes } from "node:crypto";
import { EmulatorProcess } from "./harness/emulator-process";
import { outsideVault } from "./harness/inventory";
import { stackSpecs, type StackShape } from "./harness/resource-specs";
import { TestStack, type OpResult } from "./harness/stack";

let emu: EmulatorProcess;
let stack: TestStack;
const token = `pt-secret-${randomBytes(12).toString("hex")}`;
const vaultToken = `vt-secret-${randomBytes(12).toString("hex")}`;
const credToken = `ct-secret-${randomBytes(12).toString("hex")}`;
const rotated = `rt-secret-${randomBytes(12).toString("hex")}`;
const secrets = { token, vaultToken, credToken, rotated };

beforeAll(async () => {
  emu = await EmulatorProcess.start([], token);
  // No retries: the failing update below fails at once instead of backing off.
  stack = new TestStack("reliability", emu, { name: "secrets", env: { QODER_MAX_RETRIES: "0" } });
});
afterAll(async () => {
  stack?.cleanup();
  await emu?.stop();
});

/** Every file under a directory, concatenated (state, backups, history, PULUMI_HOME logs). */
function filesUnder(dir: string): string {
  if (!fs.existsSync(dir)) return "";
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => fs.readFileSync(path.join(e.parentPath, e.name), "latin1"))
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
  await stack.configureToken();
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
});
