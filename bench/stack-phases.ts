// One stack through the six phases of its life, with the emulator's count of API calls and the
// wall time of each phase (a whole `pulumi` run through the Automation API runner).
import type { EmulatorProcess, EmulatorStats } from "../testkit/emulator-process";
import { stackSpecs, type StackShape } from "../testkit/resource-specs";
import { TestStack } from "../testkit/stack";
import { timed } from "./pool";

export const PHASES = ["create", "preview", "up-noop", "refresh", "update", "destroy"] as const;
export type Phase = (typeof PHASES)[number];

export interface PhaseResult {
  phase: Phase;
  wallMs: number;
  calls: Record<string, number>;
  total: number;
  /** The physical limit: the fewest calls that can do this phase's work. */
  limit: { method: string; calls: number };
}

export interface StateSize {
  resources: number;
  /** Exported deployment bytes / qoder resources. */
  bytesPerResource: number;
  /** `__provider` bytes (inputs + outputs copies) / qoder resources. */
  providerBytesPerResource: number;
}

export interface StackRun {
  shape: StackShape;
  objects: number;
  phases: PhaseResult[];
  state?: StateSize;
}

/** Objects the shape declares: N agents, plus env, skill, vault, credential, store, memory. */
export function objectCount(shape: StackShape): number {
  return shape.agents + (shape.others ? (shape.outsideVaultId ? 6 : 5) : 0);
}

function limitOf(phase: Phase, objects: number, agents: number): { method: string; calls: number } {
  switch (phase) {
    case "create":
      return { method: "POST", calls: objects };
    case "refresh":
      return { method: "GET", calls: objects };
    case "update":
      return { method: "PUT", calls: agents ? 1 : 0 };
    case "destroy":
      return { method: "DELETE", calls: objects };
    default:
      return { method: "any", calls: 0 };
  }
}

export function stateSize(state: any): StateSize {
  const res = (state?.deployment?.resources ?? []).filter((r: any) => String(r.type).startsWith("pulumi-nodejs:dynamic/qoder:"));
  const n = Math.max(res.length, 1);
  const provider = res.reduce((s: number, r: any) => s + Buffer.byteLength(r.inputs?.__provider ?? "") + Buffer.byteLength(r.outputs?.__provider ?? ""), 0);
  return {
    resources: res.length,
    bytesPerResource: Math.round(Buffer.byteLength(JSON.stringify(state)) / n),
    providerBytesPerResource: Math.round(provider / n),
  };
}

export async function runStack(emu: EmulatorProcess, shape: StackShape, name: string): Promise<StackRun> {
  const stack = new TestStack("reliability", emu, { name });
  const objects = objectCount(shape);
  const phases: PhaseResult[] = [];
  let state: StateSize | undefined;
  try {
    await stack.configureToken();
    stack.setArgs({ resources: stackSpecs(shape) });
    const phase = async (p: Phase, op: () => Promise<unknown>) => {
      await emu.resetStats();
      const wallMs = await timed(op);
      const s: EmulatorStats = await emu.stats();
      phases.push({ phase: p, wallMs, calls: s.byMethod, total: s.total, limit: limitOf(p, objects, shape.agents) });
    };
    await phase("create", () => stack.up());
    state = stateSize(await stack.exportState());
    await phase("preview", () => stack.preview());
    await phase("up-noop", () => stack.up());
    await phase("refresh", () => stack.refresh());
    stack.setArgs({ resources: stackSpecs(shape).map((r, i) => (i === 0 && r.type === "Agent" ? { ...r, args: { ...r.args, system: `${r.args.system} Changed.` } } : r)) });
    await phase("update", () => stack.up());
    await phase("destroy", () => stack.destroy());
  } finally {
    stack.cleanup();
  }
  return { shape, objects, phases, state };
}
