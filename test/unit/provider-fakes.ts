// A recording stand-in for the sdk client, for unit tests of a kind's update logic: every call
// is logged by its dotted name with its arguments and answered by `reply`. Tests hand it to the
// engine as its client, as `configure` hands the real one.
import type { QoderClient } from "../../sdk";
import { check, type Props } from "../../provider/engine";
import { plain } from "../../provider/json";
import type { AnyKind } from "../../provider/kinds/kind";

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

/** The state a kind builds from inputs and a live object (what create and read store). */
export function stateOf(kind: AnyKind, inputs: Props, live: any, prev: Props | undefined = undefined): Record<string, any> {
  return plain(kind.state(inputs, live, Object.keys(prev ?? {}).length ? prev : undefined));
}

/** State as the engine would store it after creating `inputs` and getting `live` back. */
export function stateAfterCreate(kind: AnyKind, inputs: Props, live: any): Record<string, any> {
  return stateOf(kind, inputs, live);
}
