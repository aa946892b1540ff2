// Starts the real emulator for the client contract tests and exposes its admin surface.
import { startEmulator, type RunningEmulator } from "../../emulator";
import type { LogEntry } from "../../emulator/stats";
import { APIError, QoderClient, type ClientOptions } from "../../sdk";

export interface Harness {
  emu: RunningEmulator;
  client(opts?: ClientOptions): QoderClient;
  faults(cfg: Record<string, unknown>): Promise<void>;
  /** The emulator's request-log position, for `since`. */
  mark(): Promise<number>;
  /** Requests logged after `mark`, optionally only those of one route such as `GET /agents`. */
  since(mark: number, route?: string): Promise<LogEntry[]>;
  reset(): Promise<void>;
}

export function useEmulator(): Harness {
  const h = {} as Harness;
  beforeAll(async () => {
    h.emu = await startEmulator({ port: 0 });
  });
  afterAll(() => h.emu.close());
  h.client = (opts) => new QoderClient({ baseUrl: h.emu.baseUrl, token: h.emu.token, retryBaseDelayMs: 5, ...opts });
  const admin = async (method: string, path: string, body?: unknown): Promise<any> => {
    const headers = { authorization: `Bearer ${h.emu.token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) };
    const res = await fetch(`${h.emu.origin}/_emulator/${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    if (!res.ok) throw new Error(`admin ${method} ${path}: ${res.status} ${await res.text()}`);
    return res.json();
  };
  h.faults = async (cfg) => void (await admin("PUT", "faults", cfg));
  h.mark = async () => ((await admin("GET", "stats")).log as LogEntry[]).at(-1)?.seq ?? 0;
  h.since = async (mark, route) =>
    ((await admin("GET", "stats")).log as LogEntry[]).filter((l) => l.seq > mark && (!route || `${l.method} ${l.route}` === route));
  h.reset = async () => void (await admin("POST", "reset"));
  return h;
}

/** Runs `fn`, expects it to reject with `Ctor`, and returns the error for field assertions. */
export async function expectError<E extends APIError>(fn: () => Promise<unknown>, Ctor: new (...args: never[]) => E, fields: Partial<Pick<APIError, "status" | "type" | "param">>): Promise<E> {
  const err = await fn().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(Ctor);
  expect(err).toMatchObject(fields);
  expect((err as APIError).requestId).toMatch(/\S/);
  return err as E;
}
