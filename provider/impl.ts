// What the serialized shim calls at run time, in the provider process (`pulumi-qoder/provider/impl`).
// Keeping the logic here, not in `__provider`, means refresh and destroy always run the installed
// code, and upgrading the package never shows `~__provider` on every resource.
//
// The shim is serialized into state and so cannot hold the context `configure` builds: this
// module keeps it for the provider process and hands its client to the engine on every call.
import "../sdk/node-guard"; // first: refuses Node < 22 before undici loads
import { configKey, providerContext, type ConfigLike, type ProviderContext } from "./context";
import * as engine from "./engine";
import { asProviderError, ProviderError } from "./errors";
import { isKindName, kinds } from "./kinds";
import type { AnyKind } from "./kinds/kind";
import { forgetModels, modelFailures } from "./model-check";

let context: ProviderContext = providerContext(); // until `configure`: the environment alone
let configured: string | undefined;

function kindOf(name: string): AnyKind {
  if (!isKindName(name)) throw new ProviderError(`pulumi-qoder: unknown resource kind "${name}" (state written by a newer version?)`);
  return kinds[name];
}

/** Settings problems (no token, a bad region) are ours to report, without a stack trace. */
function client() {
  try {
    return context.client();
  } catch (e) {
    throw asProviderError(e);
  }
}

// The host configures once per distinct `__provider` (one per kind), always with the stack's
// config: a repeat keeps the client, its connections and the model list it fetched.
export async function configure(req: { config?: ConfigLike } | undefined) {
  const key = configKey(req?.config);
  if (key === configured) return;
  configured = key;
  context = providerContext(req?.config);
  forgetModels();
}
export async function check(kind: string, olds: engine.Props, news: engine.Props) {
  const result = engine.check(kindOf(kind), olds, news);
  if (kind !== "agent" || result.failures) return result;
  const failures = await modelFailures(context, olds ?? {}, result.inputs);
  return failures.length ? { ...result, failures } : result;
}
export async function diff(kind: string, id: string, olds: engine.Props, news: engine.Props) {
  const k = kindOf(kind);
  await k.prepareCompare?.(olds ?? {}, news ?? {});
  return engine.diff(k, id, olds, news);
}
export async function create(kind: string, inputs: engine.Props) {
  return engine.create(client(), kindOf(kind), inputs);
}
export async function read(kind: string, id: string, props: engine.Props) {
  return engine.read(client(), kindOf(kind), id, props);
}
export async function update(kind: string, id: string, olds: engine.Props, news: engine.Props) {
  return engine.update(client(), kindOf(kind), id, olds, news);
}
export async function remove(kind: string, id: string, props: engine.Props) {
  return engine.remove(client(), kindOf(kind), id, props);
}
