// What the serialized shim calls at run time, in the provider process (`pulumi-qoder/provider/impl`).
// Keeping the logic here, not in `__provider`, means refresh and destroy always run the installed
// code, and upgrading the package never shows `~__provider` on every resource.
import { configure as configureSettings } from "./config";
import * as engine from "./engine";
import { kinds } from "./kinds";

function kindOf(name: string) {
  const k = kinds[name];
  if (!k) throw new Error(`pulumi-qoder: unknown resource kind "${name}" (state written by a newer version?)`);
  return k;
}

export async function configure(req: { config?: { get(key: string): string | undefined } }) {
  configureSettings(req?.config);
}
export async function check(kind: string, olds: any, news: any) {
  return engine.check(kindOf(kind), olds, news);
}
export async function diff(kind: string, id: string, olds: any, news: any) {
  return engine.diff(kindOf(kind), id, olds, news);
}
export async function create(kind: string, inputs: any) {
  return engine.create(kindOf(kind), inputs);
}
export async function read(kind: string, id: string, props: any) {
  return engine.read(kindOf(kind), id, props);
}
export async function update(kind: string, id: string, olds: any, news: any) {
  return engine.update(kindOf(kind), id, olds, news);
}
export async function remove(kind: string, id: string, props: any) {
  return engine.remove(kindOf(kind), id, props);
}
