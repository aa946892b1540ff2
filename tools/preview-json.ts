// `pulumi preview --json` read as the plan's steps, so CI runs one preview for both the log and
// the PR comment. Shape (CLI v3.274): { config, steps: [{ op, urn, oldState?, newState?,
// diffReasons?, detailedDiff?: { "<path>": { kind, inputDiff } } }], diagnostics?, changeSummary }.
// Secret values already read "[secret]" unless the preview ran with --show-secrets.
import { isReported, type StepEvent, type StepState } from "./events";

interface JsonState extends StepState {
  type?: string;
}

interface JsonStep {
  op: string;
  urn: string;
  oldState?: JsonState;
  newState?: JsonState;
  diffReasons?: string[];
  detailedDiff?: Record<string, { kind: string; inputDiff?: boolean }> | null;
}

interface PreviewJson {
  steps?: JsonStep[];
  diagnostics?: Array<{ message?: string; severity?: string; urn?: string }>;
}

export interface PreviewSteps {
  project: string;
  stack: string;
  steps: StepEvent[];
}

const ANSI = /\u001b\[[0-9;]*m/g;
const REPLACE_OPS = new Set(["replace", "create-replacement", "delete-replaced"]);

/** URN: urn:pulumi:<stack>::<project>::<parent types $ ... $ type>::<name> */
function urnParts(urn: string): { stack: string; project: string; type: string } {
  const [head = "", project = "", types = ""] = urn.split("::");
  return { stack: head.replace(/^urn:pulumi:/, ""), project, type: types.slice(types.lastIndexOf("$") + 1) };
}

export function parsePreviewJson(text: string, source: string): PreviewSteps {
  let doc: PreviewJson;
  try {
    doc = JSON.parse(text) as PreviewJson;
  } catch (e) {
    throw new Error(`${source}: not JSON (${(e as Error).message}); pass the output of \`pulumi preview --json\``);
  }
  if (!doc || !Array.isArray(doc.steps)) throw new Error(`${source}: no "steps" array; pass the output of \`pulumi preview --json\``);
  // A failed preview's steps are partial: never report them as the plan.
  const errors = (doc.diagnostics ?? []).filter((d) => d.severity === "error").map((d) => (d.message ?? "").replace(ANSI, "").trim());
  if (errors.length) throw new Error(`the preview failed:\n${errors.join("\n")}`);
  if (!doc.steps.length) throw new Error(`${source}: the preview has no steps (not even the stack)`);

  const { project, stack } = urnParts(doc.steps[0].urn);
  const byUrn = new Map<string, StepEvent>();
  for (const s of doc.steps) {
    const type = s.newState?.type ?? s.oldState?.type ?? urnParts(s.urn).type;
    if (!isReported(type)) continue;
    const step: StepEvent = {
      op: s.op,
      urn: s.urn,
      type,
      diffs: s.diffReasons ?? [],
      detailedDiff: s.detailedDiff ? Object.fromEntries(Object.entries(s.detailedDiff).map(([k, d]) => [k, { diffKind: d.kind, inputDiff: d.inputDiff }])) : null,
      keys: [],
      old: s.oldState ?? null,
      new: s.newState ?? null,
    };
    const seen = byUrn.get(s.urn);
    if (!seen) byUrn.set(s.urn, step);
    else {
      // One replacement can show as several steps: report it once, with whichever names the diffs.
      const withDiffs = seen.diffs.length || seen.detailedDiff ? seen : step;
      byUrn.set(s.urn, { ...withDiffs, op: REPLACE_OPS.has(s.op) || REPLACE_OPS.has(seen.op) ? "replace" : seen.op, old: seen.old ?? step.old, new: step.new ?? seen.new });
    }
  }
  return { project, stack, steps: [...byUrn.values()] };
}
