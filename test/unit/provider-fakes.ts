// DEPRECATED: a recording stand-in for the sdk client. The provider's unit tests now hand the
// engine a real QoderClient pointed at a local server (`useApiServer` in provider-kind-helpers.ts)
// and assert on the requests it received; only provider-file.test.ts still uses this. Delete
// this file once it is converted.
import type { QoderClient } from "../../sdk";

export { checked, failuresOf, stateAfterCreate, stateOf } from "./provider-kind-helpers";

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
