// Plan: a preview of the program, with each step's field-level changes (old vs new inputs,
// restricted to the properties the engine reports as different). The steps come from a preview
// run here, or from the JSON of one the caller already ran (`pulumi preview --json`).
import { isEmpty } from "../provider/json";
import { credentialChanges, REVISIONS } from "./credential-changes";
import { EventCollector, type StepEvent } from "./events";
import { BOOKKEEPING, fieldChanges, leafChanges, type FieldChange } from "./field-changes";
import { fleetSources } from "./fleet-sources";
import { parsePreviewJson } from "./preview-json";
import { cleanValue, resourceName, type FieldReport, type Report, type ResourceReport } from "./report";
import { skillFileChanges } from "./skill-files";
import { openStack, type OpenOptions } from "./workspace";

const OPS: Record<string, string> = {
  create: "create",
  update: "update",
  delete: "delete",
  replace: "replace",
  "create-replacement": "replace",
  "delete-replaced": "replace",
};

/** Inputs the report shows another way: skill files as file rows, credentials per URL, the Fleet file beside the name. */
const SHOWN_ELSEWHERE = new Set(["files", "fileHashes", "contentSize", REVISIONS, "sourceFile"]);

export async function planReport(o: Omit<OpenOptions, "create"> & { refresh?: boolean }): Promise<Report> {
  const { stack, projectName } = await openStack(o);
  const events = new EventCollector();
  await stack.preview({ onEvent: events.onEvent, color: "never", diff: true, refresh: o.refresh });
  return planFromSteps(projectName, o.stack, events.steps, o.cwd);
}

/** The plan of a `pulumi preview --json` output; project and stack come from its URNs. */
export function planFromPreviewJson(text: string, source: string, cwd = "."): Report {
  const { project, stack, steps } = parsePreviewJson(text, source);
  return planFromSteps(project, stack, steps, cwd);
}

/** `cwd`: the project directory, where skill sources are read for per-file diffs. */
function planFromSteps(project: string, stack: string, steps: StepEvent[], cwd: string): Report {
  const sourceOf = fleetSources(steps);
  const resources = steps.map((s) => planOf(s, cwd)).filter((r): r is ResourceReport => !!r);
  for (const r of resources) {
    const source = sourceOf(steps.find((s) => s.urn === r.urn)!);
    if (source) r.source = source;
  }
  return { kind: "plan", project, stack, changes: resources.length > 0, resources };
}

/** "tools[0].enabledTools" → "tools" */
const topLevel = (p: string) => p.split(/[.[]/, 1)[0];

function planOf(s: StepEvent, cwd: string): ResourceReport | undefined {
  const op = OPS[s.op];
  if (!op) return undefined; // same, read, refresh
  const base = { urn: s.urn, type: s.type, name: resourceName(s.urn), id: s.old?.id ?? s.new?.id, op };
  if (op === "delete" || s.type.startsWith("qoder:index:")) return { ...base, fields: [] };
  const [olds, news] = op === "create" ? [undefined, s.new?.inputs] : [s.old?.inputs, s.new?.inputs];
  let changes: FieldChange[];
  const replacing = new Set(Object.entries(s.detailedDiff ?? {}).filter(([, d]) => d.diffKind?.endsWith("-replace")).map(([k]) => topLevel(k)));
  if (op === "create") {
    // A new resource: every field it is created with (empty ones are the server's defaults).
    changes = fieldChanges(undefined, news).filter((f) => !isEmpty(f.after));
  } else {
    const listed = new Set([...s.diffs, ...Object.keys(s.detailedDiff ?? {})].map(topLevel));
    changes = fieldChanges(olds, news).filter((f) => !listed.size || listed.has(f.field));
    // A changed secret (a rotated token) looks the same masked on both sides: still list it.
    for (const field of listed) {
      if (!BOOKKEEPING.has(field) && !changes.some((c) => c.field === field)) changes.push({ field, before: olds?.[field], after: news?.[field] });
    }
  }
  const credentials = credentialChanges(olds, news);
  const files = skillFileChanges(olds, news, cwd);
  const fields: FieldReport[] = changes
    .filter((f) => !SHOWN_ELSEWHERE.has(f.field) && !(f.field === "credentials" && credentials))
    .flatMap((f): FieldReport[] => {
      const [before, after] = [cleanValue(f.before), cleanValue(f.after)];
      // A secret is one value: its masked sides are not split into keys.
      const leaves = before === "[secret]" || after === "[secret]" ? [{ field: f.field, before, after }] : leafChanges({ field: f.field, before, after });
      return leaves.map((l) => ({ field: l.field, before: l.before ?? undefined, after: l.after ?? undefined, ...(replacing.has(f.field) ? { replaces: true } : {}) }));
    })
    .concat(credentials ?? [])
    .sort((a, b) => a.field.localeCompare(b.field));
  return { ...base, fields, ...(files?.length ? { files } : {}) };
}
