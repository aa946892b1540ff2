// Helpers for the per-kind unit tests: API objects as the server returns them, check results
// asserted by property path and rule, and a real QoderClient against a local scripted server, so
// that what a lifecycle function does is asserted on the requests the API would receive.
import type { QoderClient } from "../../sdk";
import { check, type Props } from "../../provider/engine";
import { plain } from "../../provider/json";
import type { AnyKind } from "../../provider/kinds/kind";
import { useFakeServer, type FakeServer, type Recorded } from "./sdk-fake-server";

export { apiError } from "./sdk-fake-server";

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

/** check() that must succeed: the normalized inputs. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read into inputs of any kind
export function checked(kind: AnyKind, news: Props): Record<string, any> {
  const r = check(kind, {}, news);
  if (r.failures) throw new Error(`unexpected check failures: ${JSON.stringify(r.failures)}`);
  return r.inputs;
}

/** The failures of a check() that must fail, as "property: reason". */
export function failuresOf(kind: AnyKind, news: Props): Array<{ property: string; reason: string }> {
  const r = check(kind, {}, news);
  if (!r.failures) throw new Error(`expected check to fail for ${JSON.stringify(news)}`);
  return r.failures;
}

/** check() fails on exactly `property`, with a reason naming the property and matching `rule`. */
export function expectFailure(kind: AnyKind, news: Props, property: string, rule: RegExp): void {
  const failures = failuresOf(kind, news);
  const mine = failures.filter((f) => f.property === property);
  if (!mine.length) throw new Error(`no failure on ${property}; got ${JSON.stringify(failures)}`);
  expect(mine[0].reason.startsWith(`${property}: `)).toBe(true);
  expect(mine[0].reason).toMatch(rule);
}

/** The state a kind builds from inputs and a live object (what create and read store). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- fixtures and state of any kind
export function stateOf(kind: AnyKind, inputs: Props, live: any, prev: Props | undefined = undefined): Record<string, any> {
  return plain(kind.state(inputs, live, Object.keys(prev ?? {}).length ? prev : undefined));
}

/** State as the engine would store it after creating `inputs` and getting `live` back. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- fixtures and state of any kind
export function stateAfterCreate(kind: AnyKind, inputs: Props, live: any): Record<string, any> {
  return stateOf(kind, inputs, live);
}

/** One request as the API saw it: "METHOD /path" (below /api/v1/cloud), and its JSON body if it had one. */
export type Sent = [call: string, body?: unknown];

export interface ApiServer extends FakeServer {
  /** A client as `configure` builds it (idempotent writes, the default retries), pointed here. */
  api(): QoderClient;
  /** The requests received in this test, in order. */
  sent(): Sent[];
}

/** A local scripted API server for this test file (see sdk-fake-server.ts: replies queue per test). */
export function useApiServer(): ApiServer {
  const server = useFakeServer();
  return Object.assign(server, {
    api: () => server.client({ idempotentWrites: true }),
    sent: () => server.requests.map(sentOf),
  });
}

function sentOf(r: Recorded): Sent {
  const call = `${r.method} ${r.path}`;
  return /^application\/json/.test(r.headers["content-type"] ?? "") && r.body.length ? [call, r.json()] : [call];
}

/** The `Idempotency-Key` a request carried. */
export function idempotencyKey(r: Recorded): string | undefined {
  const k = r.headers["idempotency-key"];
  return Array.isArray(k) ? k[0] : k;
}

/** The bytes of one multipart/form-data part of a request. */
export function formPart(r: Recorded, name: string): Buffer {
  const boundary = /boundary=([^;]+)/.exec(r.headers["content-type"] ?? "")?.[1];
  if (!boundary) throw new Error(`${r.method} ${r.path} is not multipart/form-data`);
  const head = r.body.indexOf(`Content-Disposition: form-data; name="${name}"`);
  if (head < 0) throw new Error(`no form part "${name}" in ${r.method} ${r.path}`);
  const start = r.body.indexOf("\r\n\r\n", head) + 4;
  return r.body.subarray(start, r.body.indexOf(`\r\n--${boundary}`, start));
}
