#!/usr/bin/env node
// npm's `prepare`: runs after `npm install` / `npm ci` in a clone, and when npm installs this
// package from git (`npm install github:owner/pulumi-qoder`: npm clones it, installs its
// devDependencies, runs `prepare`, then packs the `files`). Both need dist/, which is not in git:
// build it when missing. (Later builds are `npm run build`, or the demo's and tests' own.) In a
// checkout it also links the package to itself (link-self.js). Shipped in the tarball (alone) so
// the `prepare` it declares exists; npm never runs it for an installed tarball, and it does nothing
// there (no tsconfig.json).
const { execFileSync } = require("child_process");
const fs = require("fs");
const path = require("path");

const root = path.resolve(__dirname, "..");
if (!fs.existsSync(path.join(root, "tsconfig.json"))) process.exit(0); // an installed copy

// Its own process: it exits early when the link is already there.
execFileSync(process.execPath, [path.join(__dirname, "link-self.js")], { stdio: "inherit" });
if (fs.existsSync(path.join(root, "dist", "provider", "index.js"))) process.exit(0);
let tsc;
try {
  tsc = require.resolve("typescript/bin/tsc", { paths: [root] });
} catch {
  console.error("pulumi-qoder: dist/ is missing and typescript is not installed: run `npm install` (with devDependencies), then `npm run build`");
  process.exit(1);
}
console.error("pulumi-qoder: building dist/ (tsc -p tsconfig.json)");
try {
  execFileSync(process.execPath, [tsc, "-p", path.join(root, "tsconfig.json")], { cwd: root, stdio: "inherit" });
} catch {
  console.error("pulumi-qoder: the build failed (tsc's errors are above)");
  process.exit(1);
}
