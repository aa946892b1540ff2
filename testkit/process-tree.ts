// SIGKILL of a whole process tree (runner → pulumi CLI → language host, provider plugins), as a
// crashed CI runner or a closed laptop would leave it. Only the given pid and its descendants.
import * as fs from "node:fs";

function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      // Field 4 is the ppid; the command name (field 2) may hold spaces, so parse after ")".
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === pid) out.push(Number(entry));
    } catch {
      // the process exited while we looked
    }
  }
  return out;
}

export function descendants(pid: number): number[] {
  const all: number[] = [];
  const queue = [pid];
  while (queue.length && all.length < 1000) {
    const kids = childrenOf(queue.shift()!);
    all.push(...kids);
    queue.push(...kids);
  }
  return all;
}

/** Kills the tree top-down in one sweep (no process gets to clean up); returns the pids killed. */
export function killTree(pid: number): number[] {
  const pids = [pid, ...descendants(pid)];
  for (const p of pids) {
    try {
      process.kill(p, "SIGKILL");
    } catch {
      // already gone
    }
  }
  return pids;
}
