// Drift: a preview-only refresh (nothing is written, neither to the service nor to the state),
// compared field by field: the state's last known values against what the service holds now.
import { EventCollector, type StepEvent } from "./events";
import { fieldChanges, leafChanges } from "./field-changes";
import { fleetSources } from "./fleet-sources";
import { cleanValue, resourceName, type Report, type ResourceReport } from "./report";
import { openStack, type OpenOptions } from "./workspace";

export async function driftReport(o: Omit<OpenOptions, "create">): Promise<Report> {
  const { stack, projectName } = await openStack(o);
  const events = new EventCollector();
  await stack.previewRefresh({ onEvent: events.onEvent, color: "never" });
  const sourceOf = fleetSources(events.steps);
  const resources = events.steps.map(driftOf).filter((r): r is ResourceReport => !!r);
  for (const r of resources) {
    const source = sourceOf(events.steps.find((s) => s.urn === r.urn)!);
    if (source) r.source = source;
  }
  return { kind: "drift", project: projectName, stack: o.stack, changes: resources.length > 0, resources };
}

function driftOf(s: StepEvent): ResourceReport | undefined {
  const base = { urn: s.urn, type: s.type, name: resourceName(s.urn), id: s.old?.id ?? s.new?.id };
  // Refresh pre-events carry no diffs: the outputs event's old/new states are compared.
  if (s.resultOp === "delete") return { ...base, op: "gone", fields: [] };
  const fields = fieldChanges(s.old?.outputs, s.new?.outputs).flatMap((f) => {
    const [before, after] = [cleanValue(f.before), cleanValue(f.after)];
    return before === "[secret]" || after === "[secret]" ? [{ field: f.field, before, after }] : leafChanges({ field: f.field, before, after });
  });
  // Bookkeeping alone (updatedAt, version after an edit that was reverted) is not drift; secret
  // outputs arrive masked, so a vault's credential changes show through credentialIds.
  return fields.length ? { ...base, op: "drift", fields } : undefined;
}
