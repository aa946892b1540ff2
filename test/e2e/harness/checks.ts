// What the skill and vault e2e tests add to kit.ts: an operation's result together with the
// writes it sent, the step with its replace keys, and the emulator's admin dumps.
import type { StepEvent } from "../../../tools/events";
import { writesOf, type EmulatorProcess } from "./emulator-process";
import { eventOf, type Kit } from "./kit";
import type { OpResult } from "./stack";

/** Runs `fn` and returns its result with the writes ("METHOD route") the emulator saw meanwhile. */
export async function withWrites<T>(kit: Kit, fn: () => Promise<T>): Promise<{ result: T; writes: string[] }> {
  await kit.emu.resetStats();
  const result = await fn();
  return { result, writes: writesOf(await kit.emu.stats()) };
}

/** kit's eventOf, typed as the runner records it (with the replace `keys`). */
export function stepOf(r: OpResult, type: string, name?: string): StepEvent {
  return eventOf(r, type, name) as unknown as StepEvent;
}

/** GET on the emulator's admin surface (`/_emulator/<path>`), e.g. "state" or "stats". */
export async function emulatorAdmin(emu: EmulatorProcess, path: string): Promise<any> {
  const res = await fetch(`${emu.origin}/_emulator/${path}`, { headers: { authorization: `Bearer ${emu.token}` } });
  if (!res.ok) throw new Error(`emulator admin GET ${path}: ${res.status}`);
  return res.json();
}
