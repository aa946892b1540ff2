// Our stack and the floor through the six phases of their lives, side by side: each phase runs
// on one, then the other, so that a machine that slows down for a minute slows both. The phases
// that can run again without changing what exists (preview, no-op up, refresh, and an update
// that flips one field and back) run `repeats` times, alternating which stack goes first, and
// report the median. Calls are the emulator's count (the most any run of the phase made).
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

/** Phases that leave the stack as they found it (the update flips one field, then back). */
export const REPEATED: readonly Phase[] = ["preview", "up-noop", "refresh", "update"];

export interface PhaseResult {
  phase: Phase;
  /** The median of `runsMs`. */
  wallMs: number;
  runsMs: number[];
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

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/**
 * One bench project as a TestStack (runner process, CLI, nodejs language host, file backend)
 * whose project runs a plain JS main against the packed install instead of the repository's
 * link to itself.
 */
class BenchStack {
  readonly stack: TestStack;
  readonly shape: StackShape;
  readonly objects: number;
  private readonly runs = new Map<Phase, Array<{ wallMs: number; stats: EmulatorStats }>>();
  private updated = false;
  state?: StateSize;

  constructor(
    private readonly emu: EmulatorProcess,
    readonly project: BenchProject,
    name: string,
    install: PackedInstall,
  ) {
    this.stack = new TestStack("reliability", emu, { name });
    const link = path.join(this.stack.projectDir, "node_modules");
    fs.rmSync(link, { force: true });
    fs.symlinkSync(install.nodeModules, link, "dir");
    this.shape = project.kind === "ours" ? project.shape : { agents: project.objects, others: false };
    this.objects = project.kind === "ours" ? objectCount(this.shape) : project.objects;
  }

  async prepare(): Promise<void> {
    await this.stack.configureToken();
    this.writeMain();
  }

  private writeMain(): void {
    fs.writeFileSync(path.join(this.stack.projectDir, MAIN), mainOf(this.project, this.updated));
  }

  private op(p: Phase): () => Promise<unknown> {
    switch (p) {
      case "create":
      case "up-noop":
        return () => this.stack.up();
      case "preview":
        return () => this.stack.preview();
      case "refresh":
        return () => this.stack.refresh();
      case "update":
        // Flips the first agent's system prompt; the next update flips it back: one PUT each.
        this.updated = !this.updated;
        this.writeMain();
        return () => this.stack.up();
      case "destroy":
        return () => this.stack.destroy();
    }
  }

  async run(p: Phase): Promise<void> {
    const op = this.op(p);
    await this.emu.resetStats();
    const wallMs = await timed(op);
    const stats = await this.emu.stats();
    this.runs.set(p, [...(this.runs.get(p) ?? []), { wallMs, stats }]);
    if (p === "create") this.state = stateSize(await this.stack.exportState());
  }

  result(): StackRun {
    const phases = PHASES.filter((p) => this.runs.has(p)).map((p): PhaseResult => {
      const runs = this.runs.get(p)!;
      const most = runs.reduce((a, b) => (b.stats.total > a.stats.total ? b : a));
      return {
        phase: p,
        wallMs: median(runs.map((r) => r.wallMs)),
        runsMs: runs.map((r) => r.wallMs),
        calls: most.stats.byMethod,
        total: most.stats.total,
        limit: this.project.kind === "floor" ? NO_CALLS : limitOf(p, this.objects, this.shape.agents),
      };
    });
    return { project: this.project.kind, shape: this.shape, objects: this.objects, phases, state: this.state };
  }

  cleanup(): void {
    this.stack.cleanup();
  }
}

/** Our stack of `shape` and a floor of as many objects, phase by phase, interleaved. */
export async function runPair(emu: EmulatorProcess, shape: StackShape, label: string, install: PackedInstall, repeats: number): Promise<{ ours: StackRun; floor: StackRun }> {
  const ours = new BenchStack(emu, { kind: "ours", shape }, `bench-${label}`, install);
  const floor = new BenchStack(emu, { kind: "floor", objects: ours.objects }, `floor-${label}`, install);
  try {
    await ours.prepare();
    await floor.prepare();
    for (const p of PHASES) {
      const times = REPEATED.includes(p) ? repeats : 1;
      for (let i = 0; i < times; i++) {
        // Alternate who goes first, so neither always runs on a machine the other just warmed.
        const order = i % 2 ? [floor, ours] : [ours, floor];
        for (const s of order) await s.run(p);
      }
    }
    return { ours: ours.result(), floor: floor.result() };
  } finally {
    ours.cleanup();
    floor.cleanup();
  }
}
