// Plan: a preview of the program, with each step's field-level changes (old vs new inputs,
// restricted to the properties the engine reports as different). The steps come from a preview
// run here, or from the JSON of one the caller already ran (`pulumi preview --json`).
import { EventCollector, type StepEvent } from "./events";
import { BOOKKEEPING, fieldChanges } from "./field-changes";
import { parsePreviewJson } from "./preview-json";
import { cleanValue, resourceName, type Report, type ResourceReport } from "./report";
import { openStack, type OpenOptions } from "./workspace";

const OPS: Record<string, string> = {
  create: "create",
  update: "update",
  delete: "delete",
  replace: "replace",
  "create-replacement": "replace",
  "delete-replaced": "replace",
};

export async function planReport(o: Omit<OpenOptions, "create"> & { refresh?: boolean }): Promise<Report> {
  const { stack, projectName } = await openStack(o);
  const events = new EventCollector();
  await stack.preview({ onEvent: events.onEvent, color: "never", diff: true, refresh: o.refresh });
  return planFromSteps(projectName, o.stack, events.steps);
}

/** The plan of a `pulumi preview --json` output; project and stack come from its URNs. */
export function planFromPreviewJson(text: string, source: string): Report {
  const { project, stack, steps } = parsePreviewJson(text, source);
  return planFromSteps(project, stack, steps);
}

function planFromSteps(project: string, stack: string, steps: StepEvent[]): Report {
  const resources = steps.map(planOf).filter((r): r is ResourceReport => !!r);
  return { kind: "plan", project, stack, changes: resources.length > 0, resources };
}

/** "tools[0].enabledTools" → "tools" */
const topLevel = (p: string) => p.split(/[.[]/, 1)[0];

function planOf(s: StepEvent): ResourceReport | undefined {
  const op = OPS[s.op];
  if (!op) return undefined; // same, read, refresh
  const base = { urn: s.urn, type: s.type, name: resourceName(s.urn), id: s.old?.id ?? s.new?.id, op };
  if (op === "create" || op === "delete" || s.type.startsWith("qoder:index:")) return { ...base, fields: [] };
  const listed = new Set([...s.diffs, ...Object.keys(s.detailedDiff ?? {})].map(topLevel));
  const replacing = new Set(Object.entries(s.detailedDiff ?? {}).filter(([, d]) => d.diffKind?.endsWith("-replace")).map(([k]) => topLevel(k)));
  const changes = fieldChanges(s.old?.inputs, s.new?.inputs).filter((f) => !listed.size || listed.has(f.field));
  // A changed secret (a rotated token) looks the same masked on both sides: still list it.
  for (const field of listed) {
    if (!BOOKKEEPING.has(field) && !changes.some((c) => c.field === field)) changes.push({ field, before: s.old?.inputs?.[field], after: s.new?.inputs?.[field] });
  }
  const fields = changes
    .sort((a, b) => a.field.localeCompare(b.field))
    .map((f) => ({ field: f.field, before: cleanValue(f.before), after: cleanValue(f.after), ...(replacing.has(f.field) ? { replaces: true } : {}) }));
  return { ...base, fields };
}
