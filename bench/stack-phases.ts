// One stack through the six phases of its life, with the emulator's count of API calls and the
// wall time of each phase (a whole `pulumi` run through the Automation API runner).
import * as fs from "node:fs";
import * as path from "node:path";
import type { EmulatorProcess, EmulatorStats } from "../testkit/emulator-process";
import { MAIN } from "../testkit/project-dir";
import { stackSpecs, type StackShape } from "../testkit/resource-specs";
import { TestStack } from "../testkit/stack";
import type { PackedInstall } from "./packed-install";
import { timed } from "./pool";
import { floorMain, oursMain } from "./programs";

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
  /** Exported deployment bytes (compact JSON) / dynamic resources. */
  bytesPerResource: number;
  /** `__provider` bytes (inputs + outputs copies) / dynamic resources. */
  providerBytesPerResource: number;
}

export interface StackRun {
  project: BenchProject["kind"];
  shape: StackShape;
  objects: number;
  phases: PhaseResult[];
  state?: StateSize;
}

/** Objects the shape declares: N agents, plus env, skill, vault, credential, store, memory. */
export function objectCount(shape: StackShape): number {
  return shape.agents + (shape.others ? (shape.outsideVaultId ? 6 : 5) : 0);
}

/** The floor makes no API call at all. */
const NO_CALLS = { method: "any", calls: 0 };

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

/** Dynamic resources (ours and the floor's): everything but the stack and the default provider. */
export function stateSize(state: any): StateSize {
  const res = (state?.deployment?.resources ?? []).filter((r: any) => String(r.type).startsWith("pulumi-nodejs:dynamic"));
  const n = Math.max(res.length, 1);
  const provider = res.reduce((s: number, r: any) => s + Buffer.byteLength(r.inputs?.__provider ?? "") + Buffer.byteLength(r.outputs?.__provider ?? ""), 0);
  return {
    resources: res.length,
    bytesPerResource: Math.round(Buffer.byteLength(JSON.stringify(state)) / n),
    providerBytesPerResource: Math.round(provider / n),
  };
}

/** What a bench project deploys: ours (a stack shape) or the floor (that many trivial resources). */
export type BenchProject = { kind: "ours"; shape: StackShape } | { kind: "floor"; objects: number };

const changedSystem = (system: unknown) => `${String(system)} Changed.`;

function mainOf(project: BenchProject, updated: boolean): string {
  if (project.kind === "floor") return floorMain(project.objects, updated ? changedSystem("You are agent 0.") : "You are agent 0.");
  const specs = stackSpecs(project.shape);
  if (!updated) return oursMain(specs);
  return oursMain(specs.map((r, i) => (i === 0 && r.type === "Agent" ? { ...r, args: { ...r.args, system: changedSystem(r.args.system) } } : r)));
}

/**
 * A TestStack (runner process, CLI, nodejs language host, file backend) whose project runs a
 * plain JS main against the packed install instead of the repository's link to itself.
 */
function benchStack(emu: EmulatorProcess, name: string, install: PackedInstall): TestStack {
  const stack = new TestStack("reliability", emu, { name });
  const link = path.join(stack.projectDir, "node_modules");
  fs.rmSync(link, { force: true });
  fs.symlinkSync(install.nodeModules, link, "dir");
  return stack;
}

export async function runStack(emu: EmulatorProcess, project: BenchProject, name: string, install: PackedInstall): Promise<StackRun> {
  const stack = benchStack(emu, name, install);
  const shape: StackShape = project.kind === "ours" ? project.shape : { agents: project.objects, others: false };
  const objects = project.kind === "ours" ? objectCount(shape) : project.objects;
  const phases: PhaseResult[] = [];
  let state: StateSize | undefined;
  const main = (updated: boolean) => fs.writeFileSync(path.join(stack.projectDir, MAIN), mainOf(project, updated));
  try {
    await stack.configureToken();
    main(false);
    const phase = async (p: Phase, op: () => Promise<unknown>) => {
      await emu.resetStats();
      const wallMs = await timed(op);
      const s: EmulatorStats = await emu.stats();
      phases.push({ phase: p, wallMs, calls: s.byMethod, total: s.total, limit: project.kind === "floor" ? NO_CALLS : limitOf(p, objects, shape.agents) });
    };
    await phase("create", () => stack.up());
    state = stateSize(await stack.exportState());
    await phase("preview", () => stack.preview());
    await phase("up-noop", () => stack.up());
    await phase("refresh", () => stack.refresh());
    main(true);
    await phase("update", () => stack.up());
    await phase("destroy", () => stack.destroy());
  } finally {
    stack.cleanup();
  }
  return { project: project.kind, shape, objects, phases, state };
}
