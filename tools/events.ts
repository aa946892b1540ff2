// Engine events merged per resource. Pre-events say what the engine plans (op, diffs);
// outputs events carry the state after the step (for a refresh, the refreshed state), so the
// later one wins for old/new. Shared by the drift and plan tools and the e2e runner.
import type { EngineEvent } from "@pulumi/pulumi/automation";

export interface StepState {
  id?: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
}

export interface StepEvent {
  op: string;
  /** The outputs event's op: what the step did (a refresh: same, update or delete). */
  resultOp?: string;
  urn: string;
  type: string;
  diffs: string[];
  detailedDiff: Record<string, { diffKind: string; inputDiff?: boolean }> | null;
  keys: string[];
  old: StepState | null;
  new: StepState | null;
}

/** The stack itself and provider resources are not Qoder objects: no report lists them. */
export function isReported(type: string): boolean {
  return type !== "pulumi:pulumi:Stack" && !type.startsWith("pulumi:providers");
}

export class EventCollector {
  readonly steps: StepEvent[] = [];
  readonly diagnostics: Array<{ severity: string; message: string; urn?: string }> = [];

  readonly onEvent = (e: EngineEvent): void => {
    const m = e.resourcePreEvent?.metadata ?? e.resOutputsEvent?.metadata;
    if (m && isReported(m.type)) {
      const entry: StepEvent = { op: m.op, urn: m.urn, type: m.type, diffs: m.diffs ?? [], detailedDiff: m.detailedDiff ?? null, keys: m.keys ?? [], old: m.old ?? null, new: m.new ?? null };
      const i = this.steps.findIndex((x) => x.urn === m.urn);
      if (i < 0) this.steps.push(entry);
      else if (e.resOutputsEvent) this.steps[i] = { ...this.steps[i], resultOp: m.op, old: entry.old ?? this.steps[i].old, new: entry.new ?? this.steps[i].new };
      // A delete-before-replace starts with delete-replaced, which carries no diffs: the replace
      // step that follows names the properties.
      else if (!this.steps[i].diffs.length && entry.diffs.length) this.steps[i] = { ...this.steps[i], diffs: entry.diffs, detailedDiff: entry.detailedDiff, keys: entry.keys };
    }
    if (e.diagnosticEvent) this.diagnostics.push({ severity: e.diagnosticEvent.severity, message: e.diagnosticEvent.message, urn: e.diagnosticEvent.urn });
  };
}
