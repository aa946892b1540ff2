// The package as users have it: `npm pack` of this repository's dist/ installed into a fresh
// directory, so `pulumi-qoder` sits in node_modules and `__provider` is the require form (inside
// the repository the package links to itself, and Pulumi serializes its code instead).
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { REPO_ROOT } from "../testkit/paths";
import { resolveToolchain } from "../testkit/toolchain";

export interface PackedInstall {
  /** node_modules holding pulumi-qoder and @pulumi/pulumi, for projects to link to. */
  nodeModules: string;
  cleanup(): void;
}

export function packAndInstall(): PackedInstall {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "qoder-bench-install-"));
  const env = { ...process.env, PATH: `${resolveToolchain().nodeDir}${path.delimiter}${process.env.PATH ?? ""}` };
  const packed = JSON.parse(execFileSync("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", dir], { cwd: REPO_ROOT, env, encoding: "utf8" }));
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "qoder-bench", private: true }));
  execFileSync("npm", ["install", path.join(dir, packed[0].filename), "--prefer-offline", "--no-audit", "--no-fund", "--loglevel", "error"], {
    cwd: dir,
    env,
    timeout: 5 * 60_000,
    stdio: "pipe",
  });
  return { nodeModules: path.join(dir, "node_modules"), cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
