// A recording stand-in for the sdk client, for unit tests of a kind's update logic: every call
// is logged by its dotted name with its arguments and answered by `reply`.
import type { QoderClient } from "../../sdk";
import * as config from "../../provider/config";
import { check, outputsOf } from "../../provider/engine";
import type { Inputs, Kind } from "../../provider/kinds/kind";

export interface Call {
  name: string;
  args: any[];
}

export function recordingClient(reply: (call: Call) => any = () => ({})): { client: QoderClient; calls: Call[] } {
  const calls: Call[] = [];
  const proxy = (prefix: string): any =>
    new Proxy(() => undefined, {
      get: (_t, prop: string) => proxy(prefix ? `${prefix}.${prop}` : prop),
      apply: (_t, _this, args) => {
        const call = { name: prefix, args };
        calls.push(call);
        // list() answers a paginator synchronously; everything else is a promise.
        if (prefix.endsWith(".list")) return { toArray: async () => reply(call) };
        return Promise.resolve().then(() => reply(call));
      },
    });
  return { client: proxy("") as QoderClient, calls };
}

/** check() that must succeed: the normalized inputs. */
export function checked(kind: Kind, news: Inputs): Inputs {
  const r = check(kind, {}, news);
  if (r.failures) throw new Error(`unexpected check failures: ${JSON.stringify(r.failures)}`);
  return r.inputs;
}

/** The failures of a check() that must fail, as "property: reason". */
export function failuresOf(kind: Kind, news: Inputs): Array<{ property: string; reason: string }> {
  const r = check(kind, {}, news);
  if (!r.failures) throw new Error(`expected check to fail for ${JSON.stringify(news)}`);
  return r.failures;
}

/** State as the engine would store it after creating `inputs` and getting `live` back. */
export function stateAfterCreate(kind: Kind, inputs: Inputs, live: any): Inputs {
  return outputsOf(kind, inputs, live, {});
}

/** Makes the engine's CRUD (read/update/...) use `client`; undone by jest.restoreAllMocks(). */
export function useClient(client: QoderClient): void {
  jest.spyOn(config, "getClient").mockReturnValue(client);
}
