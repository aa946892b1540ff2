import * as path from "node:path";

/** Repository root (tests run from dist/test/e2e/harness). */
export const REPO_ROOT = path.resolve(__dirname, "..", "..", "..", "..");
export const RUNNER = path.join(__dirname, "runner.js");
export const PROGRAMS = path.resolve(__dirname, "..", "programs");
export const EMULATOR_CLI = path.join(REPO_ROOT, "dist", "emulator", "cli.js");
