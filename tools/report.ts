// The report qoder-drift and qoder-plan write: JSON for machines, Markdown for a PR/issue
// comment. Values are masked (tools/mask.ts); long texts (prompts) render as unified diffs.
import { unifiedDiff } from "./line-diff";
import { codeBlock, codeSpan, htmlText, oneLine, tableCell } from "./markdown";
import { MASK, mask } from "./mask";

/** Engine marker for a value computed during the update. */
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export interface FieldReport {
  field: string;
  before: unknown;
  after: unknown;
  /** Plan only: changing this field replaces the resource. */
  replaces?: boolean;
}

export interface ResourceReport {
  urn: string;
  type: string;
  name: string;
  id?: string;
  op: string;
  fields: FieldReport[];
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
      fields: res.fields.map((f) => ({ field: f.field, [b]: f.before, [a]: f.after, ...(f.replaces ? { replaces: true } : {}) })),
    })),
  };
}

function isLongText(v: unknown): v is string {
  return typeof v === "string" && v !== MASK && (v.includes("\n") || v.length > 80);
}

function cell(v: unknown): string {
  if (v === undefined || v === null) return "_(none)_";
  if (isLongText(v)) return "_(text: see diff)_";
  let s = JSON.stringify(v);
  if (s.length > 100) s = `${s.slice(0, 97)}...`;
  return codeSpan(s);
}

const OP_ICON: Record<string, string> = { create: "+", update: "~", replace: "+-", delete: "-", drift: "~", gone: "-" };

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
  const diffs: string[] = [];
  for (const res of resources) {
    const icon = OP_ICON[res.op] ?? tableCell(res.op);
    const row = `| ${icon} | ${codeSpan(res.name)} | ${tableCell(shortType(res.type))} |`;
    if (!res.fields.length) lines.push(`${row} | | | |`);
    for (const f of res.fields) {
      lines.push(`${row} ${tableCell(f.field)}${f.replaces ? " (replaces)" : ""} | ${cell(f.before)} | ${cell(f.after)} |`);
      if (isLongText(f.before) || isLongText(f.after)) {
        const label = oneLine(`${res.name}.${f.field}`);
        const d = unifiedDiff(String(f.before ?? ""), String(f.after ?? ""), { from: `${label} (${b})`, to: `${label} (${a})` });
        // The fence outgrows any backtick run inside (a prompt may hold a code fence itself).
        diffs.push(`<details open><summary><code>${htmlText(res.name)}</code> · ${htmlText(f.field)}</summary>\n\n${codeBlock(d, "diff")}\n</details>`);
      }
    }
  }
  if (diffs.length) lines.push("", ...diffs);
  return lines.join("\n") + "\n";
}

function cap(s: string): string {
  return s[0].toUpperCase() + s.slice(1);
}
