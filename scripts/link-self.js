#!/usr/bin/env node
// Makes `require("pulumi-qoder/...")` resolve inside this repository (the demo, examples and
// tests), exactly as it does in a user's project where the package sits in node_modules. The
// serialized provider shim depends on that name; Node's package self-reference does not apply
// to code loaded from a string, as dynamic providers are.
const fs = require("fs");
const path = require("path");
const root = path.resolve(__dirname, "..");
const link = path.join(root, "node_modules", "pulumi-qoder");
fs.mkdirSync(path.dirname(link), { recursive: true });
try {
  if (fs.readlinkSync(link) === "..") process.exit(0);
  fs.rmSync(link, { recursive: true, force: true });
} catch {
  // absent: create it
}
fs.symlinkSync("..", link, "dir");
