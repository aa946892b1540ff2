// Shared command line of qoder-drift and qoder-plan: flags, report files, exit codes like
// `terraform plan -detailed-exitcode` (0 nothing, 2 changes, 1 error).
import * as fs from "node:fs";
import * as path from "node:path";
import { readFlags, UsageError } from "./flags";
import { toJson, toMarkdown, type Report } from "./report";

export interface CliOptions {
  /** Empty with --preview-json: the JSON names the stack. */
  stack: string;
  cwd: string;
  /** qoder-plan: read this `pulumi preview --json` output ("-": stdin) instead of previewing. */
  previewJson?: string;
  json?: string;
  markdown?: string;
  detailedExitcode: boolean;
  refresh: boolean;
}

export function parseFlags(argv: string[], usage: string): CliOptions {
  const o: Partial<CliOptions> = { cwd: ".", detailedExitcode: false, refresh: false };
  for (const item of readFlags(argv)) {
    if (item.flag === undefined) throw new UsageError(`unexpected argument ${item.positional}`);
    const { flag, value } = item;
    switch (flag) {
      case "--stack": case "-s": o.stack = value(); break;
      case "--cwd": case "-C": o.cwd = value(); break;
      case "--json": o.json = value(); break;
      case "--markdown": o.markdown = value(); break;
      case "--detailed-exitcode": o.detailedExitcode = true; break;
      case "--refresh": o.refresh = true; break;
      case "--preview-json": o.previewJson = value(); break;
      case "--help": case "-h": process.stdout.write(usage + "\n"); process.exit(0);
      default: throw new UsageError(`unknown flag ${flag}`);
    }
  }
  if (o.previewJson) {
    if (o.refresh) throw new UsageError("--refresh belongs to the preview: pass it to `pulumi preview --json`");
    return { ...o, stack: o.stack ?? "" } as CliOptions;
  }
  o.stack ??= process.env.PULUMI_STACK;
  if (!o.stack) throw new UsageError("--stack is required (or set PULUMI_STACK)");
  return o as CliOptions;
}

export { UsageError };

/** Runs a report, writes the files, prints the Markdown (or a one-line summary), exits. */
export async function runCli(name: string, usage: string, make: (o: CliOptions) => Promise<Report>, exitFor: (r: Report, o: CliOptions) => number): Promise<void> {
  let code: number;
  try {
    const o = parseFlags(process.argv.slice(2), usage);
    // Report paths are relative to where the command was started, not to --cwd.
    const files = { json: o.json && path.resolve(o.json), markdown: o.markdown && path.resolve(o.markdown) };
    const report = await make(o);
    const md = toMarkdown(report);
    if (files.json) fs.writeFileSync(files.json, JSON.stringify(toJson(report), null, 2) + "\n");
    if (files.markdown) fs.writeFileSync(files.markdown, md);
    process.stdout.write(files.markdown ? `${name}: ${report.resources.length} resource(s) ${report.kind === "drift" ? "drifted" : "change"}; report in ${o.markdown}\n` : md);
    code = exitFor(report, o);
  } catch (e) {
    process.stderr.write(`${name}: ${e instanceof UsageError ? `${e.message}\n${usage}` : errorText(e)}\n`);
    code = 1;
  }
  process.exit(code);
}

/** Pulumi's own words when the CLI failed, else the message (never a stack trace). */
export function errorText(e: unknown): string {
  // CommandError keeps the CLI's result in a field its typings mark private.
  const result = (e as { commandResult?: { stderr?: unknown } } | null)?.commandResult;
  const stderr = typeof result?.stderr === "string" ? result.stderr.trim() : "";
  if (stderr) return stderr.split("\n").slice(-15).join("\n");
  return e instanceof Error ? e.message : String(e);
}
