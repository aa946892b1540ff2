import { readFileSync, readdirSync, unlinkSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";

/** Whether a process with this PID exists (EPERM: it exists but belongs to someone else). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

const ownerOf = (lockFile: string): number | undefined => {
  try {
    const pid = Number(readFileSync(lockFile, "utf8").trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
};

/**
 * `<file>.lock` holding the owner's PID, created exclusively: one emulator per data file, since
 * two would each overwrite the other's writes. A lock whose PID is dead (a crash, SIGKILL) is
 * taken over; a live one refuses the start with a message naming the file.
 */
export class DataFileLock {
  private constructor(readonly path: string) {}

  static acquire(dataFile: string): DataFileLock {
    const path = `${dataFile}.lock`;
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        writeFileSync(path, `${process.pid}\n`, { flag: "wx" });
        return new DataFileLock(path);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw new Error(`cannot lock data file ${dataFile}: ${(e as Error).message}`);
      }
      const owner = ownerOf(path);
      if (owner !== undefined && pidAlive(owner)) {
        throw new Error(`data file ${dataFile} is in use by another qoder-emulator (pid ${owner}; lock file ${path}). Stop it, or delete the lock file if that process is not an emulator.`);
      }
      try {
        unlinkSync(path); // stale: its owner is gone
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw new Error(`cannot take over stale lock ${path}: ${(e as Error).message}`);
      }
    }
    throw new Error(`cannot lock data file ${dataFile}: lock file ${path} keeps reappearing`);
  }

  /** Removes the lock if it is still ours. */
  release(): void {
    if (ownerOf(this.path) !== process.pid) return;
    try {
      unlinkSync(this.path);
    } catch {
      // already gone
    }
  }
}

/** Removes `<file>.<pid>.tmp` left by saves of processes that have died (e.g. SIGKILL mid-save). */
export function removeStaleTmpFiles(dataFile: string): void {
  const dir = dirname(dataFile);
  const prefix = `${basename(dataFile)}.`;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith(".tmp")) continue;
    const pid = Number(name.slice(prefix.length, -".tmp".length));
    if (!Number.isInteger(pid) || pid <= 0 || pidAlive(pid)) continue;
    try {
      unlinkSync(join(dir, name));
    } catch {
      // a leftover we cannot remove does no harm
    }
  }
}
