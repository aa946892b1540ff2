// Assertions and look-ups the per-kind e2e tests share: the engine events of one resource,
// the writes an operation sent, and the "nothing to do, nothing written" check.
import { fieldChanges } from "../../../tools/field-changes";
import { writesOf, type EmulatorProcess } from "./emulator-process";
import { changed, type OpResult, type TestStack } from "./stack";

export const TYPES = {
  agent: "pulumi-nodejs:dynamic/qoder:Agent",
  environment: "pulumi-nodejs:dynamic/qoder:Environment",
  skill: "pulumi-nodejs:dynamic/qoder:Skill",
  vault: "pulumi-nodejs:dynamic/qoder:Vault",
  vaultCredential: "pulumi-nodejs:dynamic/qoder:VaultCredential",
} as const;

export type ResourceEvent = OpResult["events"][number];

export function eventOf(r: OpResult, type: string): ResourceEvent {
  const e = r.events.find((x) => x.type === type);
  if (!e) throw new Error(`no event for ${type} in: ${JSON.stringify(r.events.map((x) => [x.type, x.op]))}`);
  return e;
}

/** Runs `fn` and returns its result with the writes ("METHOD route") the emulator saw meanwhile. */
export async function writesDuring<T>(emu: EmulatorProcess, fn: () => Promise<T>): Promise<{ result: T; writes: string[] }> {
  await emu.resetStats();
  const result = await fn();
  return { result, writes: writesOf(await emu.stats()) };
}

/** A second preview finds nothing to do, and not a single write reaches the API. */
export async function expectNoDrift(stack: TestStack, emu: EmulatorProcess, refresh = false): Promise<void> {
  const { result, writes } = await writesDuring(emu, () => stack.preview(refresh));
  expect(changed(result.summary)).toBe(0);
  expect(writes).toEqual([]);
}

/** The state fields a refresh (preview) changes for the resource of `type`. */
export function refreshedFields(r: OpResult, type: string): string[] {
  const e = eventOf(r, type);
  return fieldChanges(e.old?.outputs, e.new?.outputs).map((c) => c.field);
}
