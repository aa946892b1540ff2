// The package as a user gets it: the `npm pack` tarball installed into a fresh project (no link
// to this repository), a plain JS program run by the `pulumi` CLI and its nodejs language host
// against the emulator: up, a no-op preview with zero API writes, an update, destroy; what that
// writes to state (`__provider` is a 280-byte require); and an upgrade from the last version whose
// `__provider` held the shim's code (refresh, update and destroy of its state).
// The tarball is packed from the working tree's dist/ (`scripts/test` builds first; the
// `prepack` script builds when a user or CI runs `npm pack` on a fresh clone).
import { execFile, execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { writesOf, EmulatorProcess } from "../../testkit/emulator-process";
import { apiOf, liveLabels } from "../../testkit/inventory";
import { REPO_ROOT } from "../../testkit/paths";
import { isolatedPulumiEnv, resolveToolchain } from "../../testkit/toolchain";

interface Cli {
  code: number;
  out: string;
}

let emu: EmulatorProcess;
let scratch: string;
let project: string;
let tarball: string;
let env: Record<string, string>;
let npmEnv: NodeJS.ProcessEnv;

/** The last commit whose `__provider` is the shim's code by value (requiring `provider/impl`). */
const SHIM_IN_STATE_COMMIT = "6ee538713dd1547189974471d5df343672f9acc8";

const program = (system: string) => `// A user's program: the package from node_modules, nothing from the repository.
const qoder = require("pulumi-qoder");
const sandbox = new qoder.Environment("sandbox", { name: "sandbox", config: { networking: { type: "allowed_hosts", allowedHosts: ["api.example.com"] } } });
const reviewer = new qoder.Agent("reviewer", { name: "reviewer", model: "ultimate", system: ${JSON.stringify(system)} });
exports.environmentId = sandbox.environmentId;
exports.agentId = reviewer.agentId;
exports.agentVersion = reviewer.version;
`;

function pulumi(args: string[], cwd = project): Promise<Cli> {
  const bin = path.join(resolveToolchain().pulumiDir, "pulumi");
  return new Promise((resolve) => {
    execFile(bin, [...args, "--cwd", cwd, "--stack", "dev", "--non-interactive", "--color", "never"], { env, maxBuffer: 64 * 1024 * 1024, timeout: 5 * 60_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? Number((err as NodeJS.ErrnoException).code ?? 1) || 1 : 0, out: `${stdout}\n${stderr}` }),
    );
  });
}

async function ok(args: string[], cwd = project): Promise<string> {
  const r = await pulumi(args, cwd);
  if (r.code !== 0) throw new Error(`pulumi ${args.join(" ")} exited ${r.code}:\n${r.out}`);
  return r.out;
}

async function outputs(cwd = project): Promise<Record<string, unknown>> {
  return JSON.parse(await ok(["stack", "output", "--json"], cwd).then((o) => o.slice(o.indexOf("{"), o.lastIndexOf("}") + 1)));
}

interface StateResource {
  type: string;
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
}

async function qoderResources(cwd: string): Promise<StateResource[]> {
  const state = JSON.parse(await ok(["stack", "export"], cwd).then((o) => o.slice(o.indexOf("{"), o.lastIndexOf("}") + 1)));
  return state.deployment.resources.filter((r: StateResource) => r.type.startsWith("pulumi-nodejs:dynamic/qoder:"));
}

/** A project of `program` with `tgz` installed: Pulumi.yaml, package.json, index.js, node_modules. */
function installProject(dir: string, tgz: string, main: string): void {
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `name: ${path.basename(dir)}\nruntime: nodejs\nmain: index.js\n`);
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: path.basename(dir), private: true, main: "index.js" }, null, 2));
  fs.writeFileSync(path.join(dir, "index.js"), main);
  npmInstall(dir, tgz);
}

/** Bounded: the registry is reachable, but the npm cache usually has every dependency. */
function npmInstall(dir: string, tgz: string): void {
  execFileSync("npm", ["install", tgz, "--prefer-offline", "--no-audit", "--no-fund", "--loglevel", "error"], { cwd: dir, env: npmEnv, timeout: 5 * 60_000, stdio: "pipe" });
}

/**
 * The tarball of SHIM_IN_STATE_COMMIT, built once per machine: its source from `git archive`
 * (no checkout, no worktree), compiled with this repository's node_modules (sdk and provider
 * only: all the package's runtime), packed without scripts.
 */
function previousTarball(): string {
  const cache = path.join(os.homedir(), ".cache", "pulumi-qoder", "packages");
  const cached = path.join(cache, `pulumi-qoder-${SHIM_IN_STATE_COMMIT.slice(0, 12)}.tgz`);
  if (fs.existsSync(cached)) return cached;
  const src = fs.mkdtempSync(path.join(os.tmpdir(), "qoder-previous-"));
  try {
    execFileSync("bash", ["-c", `git -C "$0" archive "$1" | tar -x -C "$2"`, REPO_ROOT, SHIM_IN_STATE_COMMIT, src], { stdio: "pipe" });
    fs.symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(src, "node_modules"), "dir");
    fs.writeFileSync(path.join(src, "tsconfig.package.json"), JSON.stringify({ extends: "./tsconfig.json", include: ["sdk", "provider"] }));
    execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", "tsconfig.package.json"], { cwd: src, stdio: "pipe", timeout: 5 * 60_000 });
    const packed = JSON.parse(execFileSync("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", src], { cwd: src, env: npmEnv, encoding: "utf8" }));
    fs.mkdirSync(cache, { recursive: true });
    fs.copyFileSync(path.join(src, packed[0].filename), `${cached}.tmp`);
    fs.renameSync(`${cached}.tmp`, cached);
    return cached;
  } finally {
    fs.rmSync(src, { recursive: true, force: true });
  }
}

beforeAll(async () => {
  emu = await EmulatorProcess.start();
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), "qoder-e2e-packaged-"));
  // The machine's npm, run by our Node (the node dir may hold only `node`).
  npmEnv = { ...process.env, PATH: `${resolveToolchain().nodeDir}${path.delimiter}${process.env.PATH ?? ""}` };
  // --ignore-scripts: dist/ is already built; a build here would race the other test workers.
  const packed = JSON.parse(execFileSync("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", scratch], { cwd: REPO_ROOT, env: npmEnv, encoding: "utf8" }));
  tarball = path.join(scratch, packed[0].filename);
  project = path.join(scratch, "app");
  installProject(project, tarball, program("You review pull requests."));
  fs.mkdirSync(path.join(scratch, "state"));
  env = {
    ...isolatedPulumiEnv(scratch, emu),
    PULUMI_BACKEND_URL: `file://${path.join(scratch, "state")}`,
    QODER_PAT: emu.token,
    QODER_MAX_RETRIES: "0",
  };
  await ok(["stack", "init"]); // the stack is `--stack dev`, as every call passes
});

afterAll(async () => {
  if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  await emu?.stop();
});

test("the tarball ships the compiled package and no test code", () => {
  const files = execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" }).split("\n");
  expect(files).toEqual(expect.arrayContaining(["package/dist/provider/index.js", "package/dist/provider/impl.js", "package/dist/emulator/cli.js", "package/package.json"]));
  expect(files.filter((f) => /testkit|\/test\/|emulator\/testing|\.test\.js$/.test(f))).toEqual([]);
  // An installed copy, not a link back to this repository.
  expect(fs.lstatSync(path.join(project, "node_modules", "pulumi-qoder")).isSymbolicLink()).toBe(false);
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8"));
  expect(pkg.scripts.prepack).toMatch(/build|tsc/);
});

test("pulumi up, a no-op preview, an update and destroy of the installed package", async () => {
  const api = apiOf(emu);
  const up = await ok(["up", "--yes"]);
  expect(up).toMatch(/\+ 3 created/);
  const first = await outputs();

  // What each resource stores: `__provider` is a require of the kind's module, not code, in
  // inputs and outputs alike; no secret; a minimal agent fits in 2.5 KB.
  const stored = await qoderResources(project);
  const agent = stored.find((r) => r.type.endsWith(":Agent"));
  for (const r of stored) {
    for (const copy of [r.inputs.__provider, r.outputs.__provider]) {
      expect(copy).toMatch(/require\("pulumi-qoder\/provider\/providers\/(agent|environment)"\)/);
      expect(Buffer.byteLength(String(copy))).toBeLessThanOrEqual(300);
    }
  }
  expect(Buffer.byteLength(JSON.stringify(agent))).toBeLessThanOrEqual(2500);
  expect(JSON.stringify(stored)).not.toContain(emu.token);

  expect(await api.agents.get(first.agentId as string)).toMatchObject({ name: "reviewer", system: "You review pull requests.", version: 1 });
  expect(await api.environments.get(first.environmentId as string)).toMatchObject({ name: "sandbox", config: { networking: { allowed_hosts: ["api.example.com"] } } });
  expect(await liveLabels(emu)).toEqual(["agent reviewer", "environment sandbox"]);

  // No changes: --expect-no-changes fails the run on any planned step; the API saw no write.
  await emu.resetStats();
  const preview = await pulumi(["preview", "--expect-no-changes", "--diff"]);
  expect(preview.code).toBe(0);
  expect(preview.out).toMatch(/3 unchanged/);
  expect(writesOf(await emu.stats())).toEqual([]);

  // The user edits the program: one in-place update, one PUT.
  fs.writeFileSync(path.join(project, "index.js"), program("You review pull requests for correctness."));
  await emu.resetStats();
  const update = await ok(["up", "--yes", "--diff"]);
  expect(update).toMatch(/~ 1 updated/);
  expect(writesOf(await emu.stats())).toEqual(["PUT /agents/{id}"]);
  const second = await outputs();
  expect(second).toMatchObject({ agentId: first.agentId, environmentId: first.environmentId, agentVersion: 2 });
  expect((await api.agents.get(first.agentId as string)).system).toBe("You review pull requests for correctness.");

  const down = await ok(["destroy", "--yes"]);
  expect(down).toMatch(/- 3 deleted/);
  expect(await liveLabels(emu)).toEqual([]);
});

test("state written by the previous version refreshes, updates and destroys after an upgrade", async () => {
  const dir = path.join(scratch, "upgraded");
  installProject(dir, previousTarball(), program("You review pull requests."));
  await ok(["stack", "init"], dir);
  await ok(["up", "--yes", "--skip-preview"], dir);
  const first = await outputs(dir);
  const before = await qoderResources(dir);
  expect(before.map((r) => r.outputs.__provider)).toEqual([expect.stringContaining('require("pulumi-qoder/provider/impl")'), expect.stringContaining('require("pulumi-qoder/provider/impl")')]);

  npmInstall(dir, tarball);
  expect(fs.existsSync(path.join(dir, "node_modules", "pulumi-qoder", "dist", "provider", "providers", "agent.js"))).toBe(true);

  // Refresh reads through the old `__provider` (state outputs), which now runs the new code.
  await emu.resetStats();
  await ok(["refresh", "--yes", "--skip-preview", "--expect-no-changes"], dir);
  expect(writesOf(await emu.stats())).toEqual([]);
  // The program's new `__provider` alone is no change.
  const preview = await pulumi(["preview", "--expect-no-changes"], dir);
  expect(preview.code).toBe(0);

  fs.writeFileSync(path.join(dir, "index.js"), program("You review pull requests for correctness."));
  await emu.resetStats();
  const update = await ok(["up", "--yes", "--skip-preview"], dir);
  expect(update).toMatch(/~ 1 updated/);
  expect(writesOf(await emu.stats())).toEqual(["PUT /agents/{id}"]);
  expect(await outputs(dir)).toMatchObject({ agentId: first.agentId, agentVersion: 2 });
  const agent = (await qoderResources(dir)).find((r) => r.type.endsWith(":Agent"));
  expect(agent?.outputs.__provider).toMatch(/require\("pulumi-qoder\/provider\/providers\/agent"\)/);

  const down = await ok(["destroy", "--yes", "--skip-preview"], dir);
  expect(down).toMatch(/- 3 deleted/); // two resources and the stack
  expect(await liveLabels(emu)).toEqual([]);
});

test("installing from git (a clean clone, as `npm install github:owner/repo` does) builds dist/ through prepare", () => {
  // The committed tree: no dist/, no node_modules. npm clones it, installs its devDependencies,
  // runs `prepare` (scripts/prepare.js builds), then packs and installs the `files`.
  const clone = path.join(scratch, "clone");
  execFileSync("git", ["clone", "--quiet", "--no-local", REPO_ROOT, clone], { stdio: "pipe" });
  const app = path.join(scratch, "from-git");
  fs.mkdirSync(app);
  fs.writeFileSync(path.join(app, "package.json"), JSON.stringify({ name: "from-git", private: true }));
  const npmEnv = { ...process.env, PATH: `${resolveToolchain().nodeDir}${path.delimiter}${process.env.PATH ?? ""}` };
  execFileSync("npm", ["install", `git+file://${clone}`, "--prefer-offline", "--no-audit", "--no-fund", "--loglevel", "error"], { cwd: app, env: npmEnv, timeout: 8 * 60_000, stdio: "pipe" });
  const installed = path.join(app, "node_modules", "pulumi-qoder");
  expect(fs.existsSync(path.join(installed, "dist", "provider", "index.js"))).toBe(true);
  // The prepare the installed package.json declares names a file the package ships.
  const pkg = JSON.parse(fs.readFileSync(path.join(installed, "package.json"), "utf8"));
  expect(pkg.scripts.prepare).toBe("node scripts/prepare.js");
  expect(fs.existsSync(path.join(installed, "scripts", "prepare.js"))).toBe(true);
  const loaded = execFileSync(process.execPath, ["-e", 'const q = require("pulumi-qoder"); process.stdout.write(typeof q.Fleet + " " + typeof q.Agent)'], { cwd: app, encoding: "utf8" });
  expect(loaded).toBe("function function");
}, 10 * 60_000);
