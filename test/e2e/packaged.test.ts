// The package as a user gets it: the `npm pack` tarball installed into a fresh project (no link
// to this repository), a plain JS program run by the `pulumi` CLI and its nodejs language host
// against the emulator: up, a no-op preview with zero API writes, an update, destroy.
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

const program = (system: string) => `// A user's program: the package from node_modules, nothing from the repository.
const qoder = require("pulumi-qoder");
const sandbox = new qoder.Environment("sandbox", { name: "sandbox", config: { networking: { type: "allowed_hosts", allowedHosts: ["api.example.com"] } } });
const reviewer = new qoder.Agent("reviewer", { name: "reviewer", model: "ultimate", system: ${JSON.stringify(system)} });
exports.environmentId = sandbox.environmentId;
exports.agentId = reviewer.agentId;
exports.agentVersion = reviewer.version;
`;

function pulumi(args: string[]): Promise<Cli> {
  const bin = path.join(resolveToolchain().pulumiDir, "pulumi");
  return new Promise((resolve) => {
    execFile(bin, [...args, "--cwd", project, "--stack", "dev", "--non-interactive", "--color", "never"], { env, maxBuffer: 64 * 1024 * 1024, timeout: 5 * 60_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? Number((err as NodeJS.ErrnoException).code ?? 1) || 1 : 0, out: `${stdout}\n${stderr}` }),
    );
  });
}

async function ok(args: string[]): Promise<string> {
  const r = await pulumi(args);
  if (r.code !== 0) throw new Error(`pulumi ${args.join(" ")} exited ${r.code}:\n${r.out}`);
  return r.out;
}

async function outputs(): Promise<Record<string, unknown>> {
  return JSON.parse(await ok(["stack", "output", "--json"]).then((o) => o.slice(o.indexOf("{"), o.lastIndexOf("}") + 1)));
}

beforeAll(async () => {
  emu = await EmulatorProcess.start();
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), "qoder-e2e-packaged-"));
  // The machine's npm, run by our Node (the node dir may hold only `node`).
  const npm = "npm";
  const npmEnv = { ...process.env, PATH: `${resolveToolchain().nodeDir}${path.delimiter}${process.env.PATH ?? ""}` };
  // --ignore-scripts: dist/ is already built; a build here would race the other test workers.
  const packed = JSON.parse(execFileSync(npm, ["pack", "--json", "--ignore-scripts", "--pack-destination", scratch], { cwd: REPO_ROOT, env: npmEnv, encoding: "utf8" }));
  tarball = path.join(scratch, packed[0].filename);
  project = path.join(scratch, "app");
  fs.mkdirSync(project);
  fs.writeFileSync(path.join(project, "Pulumi.yaml"), "name: qoder-packaged\nruntime: nodejs\nmain: index.js\n");
  fs.writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "qoder-packaged", private: true, main: "index.js" }, null, 2));
  fs.writeFileSync(path.join(project, "index.js"), program("You review pull requests."));
  // Bounded: the registry is reachable, but the npm cache usually has every dependency.
  execFileSync(npm, ["install", tarball, "--prefer-offline", "--no-audit", "--no-fund", "--loglevel", "error"], { cwd: project, env: npmEnv, timeout: 5 * 60_000, stdio: "pipe" });
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
