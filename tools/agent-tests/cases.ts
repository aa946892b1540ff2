// Test case files for qoder-test: `qoder/tests/<name>.yaml` (or any directory). One file holds
// shared settings (agent, bindings, limits) and named cases; everything is checked, and every
// problem reported with its file and field, before any session starts (like a Fleet).
import * as fs from "node:fs";
import * as path from "node:path";
import { z } from "zod";
import { displayPath, NAME, parseYamlMapping, Problems, readLimited } from "../../provider/fleet/files";
import { propertyPath } from "../../provider/property-path";

/** A case file is settings and a few conversations, not data. */
const MAX_CASE_FILE_BYTES = 256 * 1024;
export const DEFAULT_WALL_TIME_MS = 300_000;
/** Agent turns (each ends at `session.status_idle`) a case may take unless it says otherwise. */
export const DEFAULT_MAX_TURNS = 20;

export class CaseConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid qoder-test cases:\n  ${problems.join("\n  ")}`);
    this.name = "CaseConfigError";
  }
}

const oneOrMany = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).transform((v) => (typeof v === "string" ? [v] : v));

/** `/pattern/flags` or a bare pattern; checked to compile here, not mid-run. */
const pattern = z.string().min(1).superRefine((s, ctx) => {
  try {
    toRegExp(s);
  } catch (e) {
    ctx.addIssue({ code: "custom", message: `not a valid regular expression: ${(e as Error).message}` });
  }
});

export function toRegExp(s: string): RegExp {
  const m = /^\/(.*)\/([dgimsuvy]*)$/s.exec(s);
  return m ? new RegExp(m[1], m[2]) : new RegExp(s);
}

const STOP_REASONS = ["end_turn", "requires_action", "cancelled", "terminated"] as const;
export type StopReasonName = (typeof STOP_REASONS)[number];

const expectations = z.strictObject({
  /** The final agent message contains each of these. */
  contains: oneOrMany.optional(),
  not_contains: oneOrMany.optional(),
  matches: pattern.optional(),
  not_matches: pattern.optional(),
  /** Tool names used (agent.tool_use, agent.custom_tool_use, MCP tool uses). */
  tools_used: z.array(z.string().min(1)).optional(),
  tools_not_used: z.array(z.string().min(1)).optional(),
  stop_reason: z.enum(STOP_REASONS).optional(),
  /** A `session.error` event fails the case unless this is true. */
  allow_errors: z.boolean().optional(),
});
export type Expectations = z.output<typeof expectations>;

/** Seconds as a number, or `500ms`, `90s`, `2m`. */
const duration = z.union([z.number().positive(), z.string().regex(/^\d+(\.\d+)?\s*(ms|s|m)$/, "must be seconds (a number) or a duration such as 90s, 2m, 500ms")]).transform(toMs);

function toMs(v: number | string): number {
  if (typeof v === "number") return Math.round(v * 1000);
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m)$/.exec(v)!;
  return Math.round(Number(m[1]) * { ms: 1, s: 1000, m: 60_000 }[m[2] as "ms" | "s" | "m"]);
}

const limits = z.strictObject({
  wall_time: duration.optional(),
  max_turns: z.number().int().positive().optional(),
  /** Checked when the API reports `usage.total_credits` on the session. */
  max_credits: z.number().nonnegative().optional(),
});

/** A custom tool's answer: its text, or `{ text, is_error }` to answer with a failure. */
const toolResult = z
  .union([z.string(), z.strictObject({ text: z.string(), is_error: z.boolean().optional() })], {
    error: "must be the text the tool returns, or { text, is_error: true } to answer with a failure",
  })
  .transform((v): ToolResult => (typeof v === "string" ? { text: v, isError: false } : { text: v.text, isError: v.is_error ?? false }));
export interface ToolResult {
  text: string;
  isError: boolean;
}

const memoryStore = z.union([z.string().min(1), z.strictObject({ store: z.string().min(1), access: z.enum(["read_only", "read_write"]).default("read_only") })]);

/** What a case attaches; in a file's top level these are the defaults of its cases. */
const bindings = {
  /** A Fleet agent name (from the stack's outputs) or an agent id. */
  agent: z.string().min(1).optional(),
  environment: z.string().min(1).optional(),
  vaults: z.array(z.string().min(1)).optional(),
  memory_stores: z.array(memoryStore).optional(),
  /** Paths relative to the case file, uploaded for the case and deleted after it; or file ids. */
  files: z.array(z.string().min(1)).optional(),
  limits: limits.optional(),
  /** Answers to tool confirmations by tool name (`"*"`: any other tool). */
  confirm: z.record(z.string().min(1), z.enum(["allow", "deny"])).optional(),
  /** What the case answers when the agent calls one of its custom tools, by tool name (`"*"`: any other). */
  tool_results: z.record(z.string().min(1), toolResult).optional(),
};

const message = z.union([z.string().min(1), z.strictObject({ text: z.string().min(1), expect: expectations.optional() })]);

const caseSchema = z.strictObject({
  ...bindings,
  description: z.string().optional(),
  messages: z.array(message).min(1),
  expect: expectations.optional(),
});

const fileSchema = z.strictObject({
  ...bindings,
  cases: z.record(z.string(), caseSchema).refine((c) => Object.keys(c).length > 0, "must hold at least one case"),
});

export interface MemoryStoreRef {
  ref: string;
  access: "read_only" | "read_write";
}
export type FileRef = { kind: "path"; path: string; shown: string } | { kind: "id"; id: string };

export interface TestCase {
  /** `<file name>/<case name>`: unique within a run, shown in progress and reports. */
  id: string;
  name: string;
  /** The file as shown in messages and reports (relative to the working directory). */
  file: string;
  description?: string;
  agent: string;
  environment?: string;
  vaults?: string[];
  memoryStores?: MemoryStoreRef[];
  files: FileRef[];
  messages: Array<{ text: string; expect: Expectations }>;
  confirm: Record<string, "allow" | "deny">;
  toolResults: Record<string, ToolResult>;
  expect: Expectations;
  limits: { wallTimeMs: number; maxTurns: number; maxCredits?: number };
  /** Where each binding was written (`cases.smoke.agent` or, for a file default, `agent`): for messages. */
  fields: Record<"agent" | "environment" | "vaults" | "memory_stores", string>;
}

/** Case files of the given files and directories (a directory: its *.yaml / *.yml, sorted). */
export function caseFiles(paths: string[], problems: Problems): string[] {
  const out: string[] = [];
  for (const p of paths) {
    const abs = path.resolve(p);
    if (!fs.existsSync(abs)) problems.add(abs, "", "no such file or directory");
    else if (fs.statSync(abs).isDirectory()) {
      const names = fs.readdirSync(abs).filter((n) => /\.ya?ml$/.test(n) && !n.startsWith(".")).sort();
      out.push(...names.map((n) => path.join(abs, n)));
    } else out.push(abs);
  }
  return [...new Set(out)];
}

/** Reads and checks every case file; throws CaseConfigError listing every problem. */
export function loadCases(paths: string[]): TestCase[] {
  const problems = new Problems();
  const files = caseFiles(paths, problems);
  if (!files.length && !problems.list.length) problems.add(paths.map((p) => path.resolve(p)).join(", "), "", "no test case files (*.yaml)");
  const cases: TestCase[] = [];
  const ids = new Map<string, string>();
  for (const file of files) {
    for (const c of readCaseFile(file, problems)) {
      const earlier = ids.get(c.id);
      if (earlier) problems.add(file, `cases.${c.name}`, `case id ${JSON.stringify(c.id)} is also used by ${earlier}; rename the file or the case`);
      else ids.set(c.id, c.file);
      cases.push(c);
    }
  }
  if (problems.list.length) throw new CaseConfigError(problems.list);
  return cases;
}

function readCaseFile(file: string, problems: Problems): TestCase[] {
  const base = path.basename(file).replace(/\.ya?ml$/, "");
  if (!NAME.test(base)) {
    problems.add(file, "", "file name must be letters, digits, '.', '_' or '-'");
    return [];
  }
  const text = readLimited(file, MAX_CASE_FILE_BYTES, "a test case file", problems);
  const raw = text === undefined ? undefined : parseYamlMapping(text, file, "", problems);
  if (!raw) return [];
  const r = fileSchema.safeParse(raw);
  if (!r.success) {
    for (const issue of r.error.issues) {
      if (issue.code === "unrecognized_keys") for (const key of issue.keys) problems.add(file, propertyPath([...issue.path, key]), "unknown key");
      else problems.add(file, propertyPath(issue.path) || "(file)", issue.message);
    }
    return [];
  }
  const f = r.data;
  const out: TestCase[] = [];
  for (const [name, c] of Object.entries(f.cases)) {
    const field = (k: string) => `cases.${name}${k ? `.${k}` : ""}`;
    if (!NAME.test(name)) {
      problems.add(file, field(""), "case name must be letters, digits, '.', '_' or '-'");
      continue;
    }
    const agent = c.agent ?? f.agent;
    if (!agent) {
      problems.add(file, field("agent"), "missing: name the agent (a Fleet agent name or an agent id), here or at the top of the file");
      continue;
    }
    const fileRefs = (c.files ?? f.files ?? []).map((p, i): FileRef | undefined => {
      if (looksLikeId(p, "file")) return { kind: "id", id: p };
      const abs = path.resolve(path.dirname(file), p);
      if (!fs.existsSync(abs) || !fs.statSync(abs).isFile()) {
        problems.add(file, `${c.files ? field("files") : "files"}[${i}]`, `no file ${JSON.stringify(p)} next to the case file (paths are relative to it)`);
        return undefined;
      }
      return { kind: "path", path: abs, shown: displayPath(abs) };
    });
    if (fileRefs.some((x) => x === undefined)) continue;
    const lim = { ...f.limits, ...c.limits };
    const origin = (k: "agent" | "environment" | "vaults" | "memory_stores") => (c[k] !== undefined ? field(k) : k);
    out.push({
      id: `${base}/${name}`,
      name,
      file: displayPath(file),
      ...(c.description !== undefined ? { description: c.description } : {}),
      agent,
      environment: c.environment ?? f.environment,
      vaults: c.vaults ?? f.vaults,
      memoryStores: (c.memory_stores ?? f.memory_stores)?.map((m) => (typeof m === "string" ? { ref: m, access: "read_only" } : { ref: m.store, access: m.access })),
      files: fileRefs as FileRef[],
      messages: c.messages.map((m) => (typeof m === "string" ? { text: m, expect: {} } : { text: m.text, expect: m.expect ?? {} })),
      confirm: { ...f.confirm, ...c.confirm },
      toolResults: { ...f.tool_results, ...c.tool_results },
      expect: c.expect ?? {},
      limits: { wallTimeMs: lim.wall_time ?? DEFAULT_WALL_TIME_MS, maxTurns: lim.max_turns ?? DEFAULT_MAX_TURNS, ...(lim.max_credits !== undefined ? { maxCredits: lim.max_credits } : {}) },
      fields: { agent: origin("agent"), environment: origin("environment"), vaults: origin("vaults"), memory_stores: origin("memory_stores") },
    });
  }
  return out;
}

/** `agent_…`, `env_…`: a value that is not a Fleet name is taken as an id when it has this shape. */
export function looksLikeId(value: string, prefix?: string): boolean {
  return prefix ? new RegExp(`^${prefix}_[A-Za-z0-9]{6,}$`).test(value) : /^[a-z]+_[A-Za-z0-9]{6,}$/.test(value);
}
