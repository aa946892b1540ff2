// The report qoder-drift and qoder-plan write: JSON for machines, Markdown for a PR/issue
// comment. Values are masked (tools/mask.ts); long texts (prompts) render as unified diffs, or
// in full (collapsed) for a resource being created; nested values arrive split into their
// changed keys (tools/field-changes.ts), so no cell is ever cut short.
import { UNKNOWN } from "../provider/json";
import { unifiedDiff } from "./line-diff";
import { codeBlock, codeSpan, htmlText, oneLine, tableCell } from "./markdown";
import { MASK, mask } from "./mask";

/** Engine marker for a value computed during the update. */

export interface FieldReport {
  field: string;
  before: unknown;
  after: unknown;
  /** Plan only: changing this field replaces the resource. */
  replaces?: boolean;
  /** What changed when the values cannot say it (a rotated token is "[secret]" on both sides). */
  note?: string;
}

/** A skill file added, removed or changed; `diff` for a text file whose both sides are known. */
export interface FileReport {
  path: string;
  change: "added" | "removed" | "changed";
  diff?: string;
  /** Why there is no diff (binary, the old text is not in git...). */
  noDiff?: string;
}

export interface ResourceReport {
  urn: string;
  type: string;
  name: string;
  id?: string;
  op: string;
  /** The Fleet file the resource comes from (`qoder/agents/reviewer.md`). */
  source?: string;
  fields: FieldReport[];
  files?: FileReport[];
}

export interface Report {
  kind: "drift" | "plan";
  project: string;
  stack: string;
  /** drift: some resource drifted; plan: the preview changes something. */
  changes: boolean;
  resources: ResourceReport[];
}

/** What `before`/`after` mean in each report. */
const LABELS = { drift: ["desired", "actual"], plan: ["old", "new"] } as const;

export function resourceName(urn: string): string {
  return urn.slice(urn.lastIndexOf("::") + 2);
}
export function shortType(type: string): string {
  return type.replace(/^pulumi-nodejs:dynamic\/qoder:/, "");
}

export function cleanValue(v: unknown): unknown {
  const m = mask(v);
  return JSON.parse(JSON.stringify(m ?? null, (_k, x) => (x === UNKNOWN ? "(known after apply)" : x)));
}

/** JSON form: drift fields carry `desired`/`actual`, plan fields `old`/`new`. */
export function toJson(r: Report): unknown {
  const [b, a] = LABELS[r.kind];
  return {
    ...r,
    resources: r.resources.map((res) => ({
      ...res,
      fields: res.fields.map((f) => ({ field: f.field, [b]: f.before, [a]: f.after, ...(f.replaces ? { replaces: true } : {}), ...(f.note ? { note: f.note } : {}) })),
    })),
  };
}

function isLongText(v: unknown): v is string {
  return typeof v === "string" && v !== MASK && (v.includes("\n") || v.length > 80);
}

function cell(v: unknown, longText: string): string {
  if (v === undefined || v === null) return "_(none)_";
  if (isLongText(v)) return longText;
  return codeSpan(JSON.stringify(v));
}

function lineCount(text: string): string {
  const n = text.split("\n").length;
  return n === 1 ? "1 line" : `${n} lines`;
}

const OP_ICON: Record<string, string> = { create: "+", update: "~", replace: "+-", delete: "-", drift: "~", gone: "-" };
const FILE_ICON: Record<FileReport["change"], string> = { added: "+", removed: "-", changed: "~" };

function resourceCell(res: ResourceReport): string {
  return res.source ? `${codeSpan(res.name)}<br>${codeSpan(res.source)}` : codeSpan(res.name);
}

/** A collapsible block; `open` for what a reviewer reads first (the diffs of an update). */
function details(res: ResourceReport, what: string, body: string, open: boolean): string {
  return `<details${open ? " open" : ""}><summary><code>${htmlText(res.name)}</code> · ${htmlText(what)}</summary>\n\n${body}\n</details>`;
}

export function toMarkdown(r: Report): string {
  const [b, a] = LABELS[r.kind];
  const title = r.kind === "drift" ? "Qoder drift report" : "Qoder plan";
  const lines = [`### ${title}: stack ${codeSpan(r.stack, false)} (project ${codeSpan(r.project, false)})`, ""];
  if (!r.resources.length) {
    lines.push(r.kind === "drift" ? "No drift: the live objects match the stack's state." : "No changes.");
    return lines.join("\n") + "\n";
  }
  // Engine events arrive in whatever order the steps finish: sort, so the same change always
  // gives the same comment (and a re-posted comment only differs when the plan does).
  const order = Object.keys(OP_ICON);
  const rank = (op: string) => (order.includes(op) ? order.indexOf(op) : order.length);
  const resources = [...r.resources].sort((x, y) => rank(x.op) - rank(y.op) || x.name.localeCompare(y.name));
  const counts = new Map<string, number>();
  for (const res of resources) counts.set(res.op, (counts.get(res.op) ?? 0) + 1);
  lines.push(`**${[...counts].map(([op, n]) => `${n} to ${op}`).join(", ")}**`.replace(/to drift/, "drifted").replace(/to gone/, "deleted outside Pulumi"), "");
  lines.push(`| | Resource | Type | Field | ${cap(b)} | ${cap(a)} |`, "|---|---|---|---|---|---|");
  const blocks: string[] = [];
  for (const res of resources) {
    const icon = OP_ICON[res.op] ?? tableCell(res.op);
    const row = `| ${icon} | ${resourceCell(res)} | ${tableCell(shortType(res.type))} |`;
    if (!res.fields.length && !res.files?.length) lines.push(`${row} | | |`);
    for (const f of res.fields) {
      const created = res.op === "create" && f.before === undefined;
      const longText = created ? "_(text: see below)_" : "_(text: see diff)_";
      const after = f.note ? `_${tableCell(f.note)}_` : cell(f.after, longText);
      const before = (f.note || created) && f.before === undefined ? "" : cell(f.before, longText);
      lines.push(`${row} ${tableCell(f.field)}${f.replaces ? " (replaces)" : ""} |${before ? ` ${before} ` : " "}| ${after} |`);
      if (created && isLongText(f.after)) {
        // A new prompt is read whole, on demand: collapsed, not a diff against nothing.
        blocks.push(details(res, `${f.field} (${lineCount(f.after)})`, codeBlock(f.after), false));
      } else if (isLongText(f.before) || isLongText(f.after)) {
        const label = oneLine(`${res.name}.${f.field}`);
        const d = unifiedDiff(String(f.before ?? ""), String(f.after ?? ""), { from: `${label} (${b})`, to: `${label} (${a})` });
        // The fence outgrows any backtick run inside (a prompt may hold a code fence itself).
        blocks.push(details(res, f.field, codeBlock(d, "diff"), true));
      }
    }
    for (const file of res.files ?? []) {
      const note = file.diff || !file.noDiff ? file.change : `${file.change} (${file.noDiff})`;
      lines.push(`${row} ${FILE_ICON[file.change]} file ${codeSpan(file.path)} | | _${tableCell(note)}_ |`);
      if (file.diff) blocks.push(details(res, `${file.path} (${file.change})`, codeBlock(file.diff, "diff"), false));
    }
  }
  if (blocks.length) lines.push("", ...blocks);
  return lines.join("\n") + "\n";
}

function cap(s: string): string {
  return s[0].toUpperCase() + s.slice(1);
}
