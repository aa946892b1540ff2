// On a Node older than 22 the bins and the provider say so in one line, instead of crashing inside
// undici. Runs the built files under an old Node found on this machine (/usr/bin/node here).
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { nodeVersionProblem } from "../../sdk/node-version";

const DIST = path.resolve(__dirname, "..", "..");

/** The first node binary on PATH (or in /usr/bin) older than 22, with its version. */
function oldNode(): { bin: string; version: string } | undefined {
  const dirs = [...(process.env.PATH ?? "").split(path.delimiter), "/usr/bin", "/usr/local/bin"];
  for (const dir of dirs) {
    const bin = path.join(dir, "node");
    if (!dir || !fs.existsSync(bin)) continue;
    const r = spawnSync(bin, ["--version"], { encoding: "utf8" });
    const version = r.stdout.trim();
    if (r.status === 0 && Number(/^v(\d+)\./.exec(version)?.[1]) < 22) return { bin, version };
  }
  return undefined;
}

const old = oldNode();
const expected = (o: { bin: string; version: string }) =>
  `pulumi-qoder needs Node.js 22 or newer; found ${o.version} at ${o.bin} (the Qoder provider runs under the \`node\` first on PATH)`;

test("the message names the version, the binary and why PATH matters", () => {
  expect(nodeVersionProblem("v20.20.2", "/usr/bin/node")).toBe(expected({ version: "v20.20.2", bin: "/usr/bin/node" }));
  expect(nodeVersionProblem("v22.0.0", "/x/node")).toBeUndefined();
  expect(nodeVersionProblem("v24.1.0", "/x/node")).toBeUndefined();
  expect(nodeVersionProblem(process.version)).toBeUndefined();
});

(old ? describe : describe.skip)(`under ${old?.bin ?? "an old node (none on this machine)"} ${old?.version ?? ""}`, () => {
  const o = old!;
  test.each([
    ["qoder-emulator", "emulator/cli.js", []],
    ["qoder-plan --help", "tools/plan-cli.js", ["--help"]],
    ["qoder-drift", "tools/drift-cli.js", ["--stack", "dev"]],
    ["the demo", "tools/demo.js", []],
  ])("%s: one line, exit 1", (_name, file, args) => {
    const r = spawnSync(o.bin, [path.join(DIST, file), ...args], { encoding: "utf8", timeout: 30_000 });
    expect({ status: r.status, stderr: r.stderr, stdout: r.stdout }).toEqual({ status: 1, stderr: `${expected(o)}\n`, stdout: "" });
  });

  test("requiring the provider (what the dynamic provider process does) throws that message, no stack", () => {
    const script = `try { require(${JSON.stringify(path.join(DIST, "provider", "impl.js"))}); console.log("loaded"); } catch (e) { console.log(JSON.stringify({ name: e.name, message: e.message, stack: e.stack })); }`;
    const r = spawnSync(o.bin, ["-e", script], { encoding: "utf8", timeout: 30_000 });
    const err = JSON.parse(r.stdout);
    expect(err).toEqual({ name: "UnsupportedNodeError", message: expected(o), stack: expected(o) });
    expect(r.stderr).not.toMatch(/bind/);
  });
});
