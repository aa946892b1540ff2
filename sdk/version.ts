import { readFileSync } from "node:fs";
import { join } from "node:path";

/** The package version, read at runtime so it cannot drift from package.json (dist/sdk → ../../package.json). */
function readVersion(): string {
  for (const rel of ["../../package.json", "../package.json"]) {
    try {
      const pkg = JSON.parse(readFileSync(join(__dirname, rel), "utf8")) as { name?: string; version?: string };
      if (pkg.name === "pulumi-qoder" && pkg.version) return pkg.version;
    } catch {
      // try the next candidate (running from sources vs dist)
    }
  }
  return "0.0.0";
}

export const VERSION = readVersion();
export const USER_AGENT = `pulumi-qoder/${VERSION}`;
