import * as path from "node:path";

/** Repository root (the kit runs from dist/testkit). */
export const REPO_ROOT = path.resolve(__dirname, "..", "..");
export const RUNNER = path.join(__dirname, "runner.js");
/** Compiled e2e programs: each exports `default (args) => outputs`. */
export const PROGRAMS = path.join(REPO_ROOT, "dist", "test", "e2e", "programs");
export const EMULATOR_CLI = path.join(REPO_ROOT, "dist", "emulator", "cli.js");
