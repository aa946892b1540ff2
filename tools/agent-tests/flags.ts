// qoder-test's command line.
import { readFlags, UsageError } from "../flags";
import type { Cleanup } from "./run-case";

export interface TestCliOptions {
  /** Case files or directories; default `<cwd>/qoder/tests`. */
  paths: string[];
  stack?: string;
  cwd: string;
  /** `--agent NAME=ID`. */
  agentIds: Record<string, string>;
  /** `--agent ID`: every case runs against it. */
  agentOverride?: string;
  environment?: string;
  parallel: number;
  /** `--timeout`: the wall time of cases that set none. */
  timeoutMs?: number;
  filter?: string;
  junit?: string;
  markdown?: string;
  json?: string;
  cleanup: Cleanup;
  output: "quiet" | "normal" | "verbose";
}

export const USAGE = `usage: qoder-test [CASES…] [--stack NAME] [--cwd PROJECT_DIR] [--agent NAME=ID | --agent ID]…
                  [--environment ID] [--parallel N] [--timeout DURATION] [--filter TEXT]
                  [--junit FILE] [--markdown FILE] [--json FILE] [--keep-sessions | --archive-sessions]
                  [--quiet | --verbose]
  Runs test conversations (CASES: case files or directories, default PROJECT_DIR/qoder/tests)
  against the agent versions a stack deployed (--stack: ids and versions from \`pulumi stack
  output\`) or against ids given with --agent. Each case runs in its own session, deleted
  afterwards unless --keep-sessions (or archived with --archive-sessions).
  Exit 0: all passed, 2: a case failed, 1: an error (bad case file, unknown agent, API trouble).`;

export function parseTestFlags(argv: string[]): TestCliOptions {
  const o: TestCliOptions = { paths: [], cwd: ".", agentIds: {}, parallel: 4, cleanup: "delete", output: "normal" };
  for (const item of readFlags(argv)) {
    if (item.flag === undefined) {
      o.paths.push(item.positional);
      continue;
    }
    const { flag, value } = item;
    switch (flag) {
      case "--stack": case "-s": o.stack = value(); break;
      case "--cwd": case "-C": o.cwd = value(); break;
      case "--agent": {
        const v = value();
        const eq = v.indexOf("=");
        if (eq < 0) o.agentOverride = v;
        else if (eq === 0 || eq === v.length - 1) throw new UsageError(`--agent ${v}: expected NAME=agent_… or an agent id`);
        else o.agentIds[v.slice(0, eq)] = v.slice(eq + 1);
        break;
      }
      case "--environment": o.environment = value(); break;
      case "--parallel": case "-j": {
        const n = Number(value());
        if (!Number.isInteger(n) || n < 1 || n > 64) throw new UsageError("--parallel must be a whole number from 1 to 64");
        o.parallel = n;
        break;
      }
      case "--timeout": o.timeoutMs = durationMs(value()); break;
      case "--filter": o.filter = value(); break;
      case "--junit": o.junit = value(); break;
      case "--markdown": o.markdown = value(); break;
      case "--json": o.json = value(); break;
      case "--keep-sessions": o.cleanup = "keep"; break;
      case "--archive-sessions": o.cleanup = "archive"; break;
      case "--quiet": case "-q": o.output = "quiet"; break;
      case "--verbose": case "-v": o.output = "verbose"; break;
      case "--help": case "-h": process.stdout.write(USAGE + "\n"); process.exit(0);
      default: throw new UsageError(`unknown flag ${flag}`);
    }
  }
  o.stack ??= process.env.PULUMI_STACK || undefined;
  return o;
}

function durationMs(v: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m)?$/.exec(v);
  if (!m || Number(m[1]) <= 0) throw new UsageError(`--timeout ${v}: expected seconds or a duration such as 90s, 2m`);
  return Math.round(Number(m[1]) * { ms: 1, s: 1000, m: 60_000 }[(m[2] ?? "s") as "ms" | "s" | "m"]);
}
