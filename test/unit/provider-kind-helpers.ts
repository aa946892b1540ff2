// Helpers for the per-kind unit tests: API objects as the server returns them, and check
// failures asserted by property path and rule.
import type { Props } from "../../provider/engine";
import type { AnyKind } from "../../provider/kinds/kind";
import { failuresOf } from "./provider-fakes";

const PREFIX: Record<string, string> = { agent: "agent", environment: "env", memory_store: "memstore", memory: "mem" };
let counter = 0;

/** A fresh id of the documented shape: prefix_ + 32 lowercase hex. */
export function fakeId(prefix: string): string {
  counter += 1;
  return `${prefix}_${counter.toString(16).padStart(32, "0")}`;
}

/** An API object of `type` with id and timestamps, as the server answers. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a fixture stands for any API object
export function apiObject(type: string, fields: Record<string, any>): any {
  return { id: fakeId(PREFIX[type] ?? type), type, created_at: "2026-05-18T15:26:39.61669Z", updated_at: "2026-05-18T15:26:39.61669Z", ...fields };
}

/** check() fails on exactly `property`, with a reason naming the property and matching `rule`. */
export function expectFailure(kind: AnyKind, news: Props, property: string, rule: RegExp): void {
  const failures = failuresOf(kind, news);
  const mine = failures.filter((f) => f.property === property);
  if (!mine.length) throw new Error(`no failure on ${property}; got ${JSON.stringify(failures)}`);
  expect(mine[0].reason.startsWith(`${property}: `)).toBe(true);
  expect(mine[0].reason).toMatch(rule);
}
