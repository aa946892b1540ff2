// Shared steps of the per-kind e2e tests: one emulator, one API client and one stack per file,
// and the assertions every kind repeats (no drift, one write, refresh changes, clean state).
import { QoderClient } from "../sdk";
import type { StepEvent } from "../tools/events";
import { fieldChanges } from "../tools/field-changes";
import { EmulatorProcess, writesOf } from "./emulator-process";
import { changed, resourcesOf, TestStack, type OpResult } from "./stack";

export const typeToken = (t: string) => `pulumi-nodejs:dynamic/qoder:${t}`;

export interface Kit {
  emu: EmulatorProcess;
  api: QoderClient;
  stack: TestStack;
}

/** Registers beforeAll/afterAll that start an emulator and a stack for `program`. */
export function useKit(program: string): Kit {
  const kit = {} as Kit;
  beforeAll(async () => {
    kit.emu = await EmulatorProcess.start();
    kit.api = new QoderClient({ token: kit.emu.token, baseUrl: kit.emu.baseUrl, maxRetries: 0 });
    kit.stack = new TestStack(program, kit.emu);
    await kit.stack.configureToken();
  });
  afterAll(async () => {
    kit.stack?.cleanup();
    await kit.emu?.stop();
  });
  return kit;
}

/** The single event for a resource type (and name, when given) in an operation's result. */
export function eventOf(r: OpResult, type: string, name?: string): StepEvent {
  const found = r.events.filter((e) => e.type === typeToken(type) && (!name || e.urn.endsWith(`::${name}`)));
  expect(found).toHaveLength(1);
  return found[0];
}

/** A preview that plans nothing, during which the emulator saw no write at all. */
export async function expectNoDrift(kit: Kit, refresh = false): Promise<void> {
  await kit.emu.resetStats();
  const r = await kit.stack.preview(refresh);
  expect(changed(r.summary)).toBe(0);
  expect(writesOf(await kit.emu.stats())).toEqual([]);
}

/** Runs `fn` and returns its result with the writes ("METHOD route") the emulator saw meanwhile. */
export async function withWrites<T>(kit: Kit, fn: () => Promise<T>): Promise<{ result: T; writes: string[] }> {
  await kit.emu.resetStats();
  const result = await fn();
  return { result, writes: writesOf(await kit.emu.stats()) };
}

/** The fields a refresh (preview-only or not) found changed on one resource. */
export function refreshChanges(r: OpResult, type: string, name?: string): string[] {
  const e = eventOf(r, type, name);
  expect(e.op).toBe("refresh");
  return fieldChanges(e.old?.outputs, e.new?.outputs).map((c) => c.field);
}

/** The fields a preview-only refresh finds changed, for one resource. */
export async function refreshedFields(kit: Kit, type: string, name?: string): Promise<string[]> {
  return refreshChanges(await kit.stack.previewRefresh(), type, name);
}

/** State of one resource type: exported with the right token, outputs free of ids and nulls-vs-absent noise. */
export async function stateOf(kit: Kit, type: string): Promise<any[]> {
  const state = await kit.stack.exportState();
  const resources = resourcesOf(state, typeToken(type));
  for (const r of resources) {
    expect(r.type).toBe(typeToken(type));
    expect(Object.keys(r.outputs)).not.toEqual(expect.arrayContaining(["id"]));
    expect(Object.keys(r.outputs)).not.toEqual(expect.arrayContaining(["urn"]));
  }
  return resources;
}

/**
 * After a refresh of an unchanged object, the state is exactly what `up` wrote: no field
 * appears, disappears or turns from absent into null.
 */
export async function expectRefreshKeepsState(kit: Kit, type: string): Promise<any[]> {
  const before = await stateOf(kit, type);
  const r = await kit.stack.refresh();
  expect(changed(r.summary)).toBe(0);
  const after = await stateOf(kit, type);
  expect(after.map((x) => x.outputs)).toEqual(before.map((x) => x.outputs));
  expect(after.map((x) => x.inputs)).toEqual(before.map((x) => x.inputs));
  return before;
}

/** Reads a resource's API id from `up` outputs (the programs export `{ <name>: { <idOutput> } }`). */
export type IdOf = (outputs: Record<string, any>) => string;

/**
 * Archived out of band: archive is one-way, so `up --refresh` replaces the resource with a new
 * object and leaves the archived one as it was. Returns the new id.
 */
export async function expectReplacedAfterArchive(kit: Kit, oldId: string, archive: () => Promise<unknown>, idOf: IdOf): Promise<string> {
  await archive();
  const r = await kit.stack.up(true);
  expect(r.summary).toMatchObject({ replace: 1 });
  const newId = idOf(r.outputs!);
  expect(newId).not.toBe(oldId);
  return newId;
}

/** Deleted out of band: `refresh` drops it from state and `up` creates it again. Returns the new id. */
export async function expectRecreatedAfterDelete(kit: Kit, oldId: string, remove: () => Promise<unknown>, idOf: IdOf): Promise<string> {
  await remove();
  expect((await kit.stack.refresh()).summary).toMatchObject({ delete: 1 });
  const r = await kit.stack.up();
  expect(r.summary).toMatchObject({ create: 1 });
  const newId = idOf(r.outputs!);
  expect(newId).not.toBe(oldId);
  return newId;
}
