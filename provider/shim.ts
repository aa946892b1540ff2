// The object handed to pulumi.dynamic.Resource. Pulumi serializes it into state as `__provider`,
// so it holds nothing but the kind name and a lazy require of the installed implementation:
// about 1.5 KB, no secrets, no client, and identical across versions of this package. Because
// `require` inside a method body is resolved at run time in the provider process, refresh and
// destroy run the installed code, never code frozen in old state.
//
// The parameter types are erased by the compiler: the serialized text (and so `__provider` in
// existing state) does not depend on them. `unknown`: the host passes whatever state holds.
import type { KindName } from "./kinds";

export function makeShim(kind: KindName) {
  return {
    configure: async (req: unknown) => require("pulumi-qoder/provider/impl").configure(req),
    check: async (olds: unknown, news: unknown) => require("pulumi-qoder/provider/impl").check(kind, olds, news),
    diff: async (id: string, olds: unknown, news: unknown) => require("pulumi-qoder/provider/impl").diff(kind, id, olds, news),
    create: async (inputs: unknown) => require("pulumi-qoder/provider/impl").create(kind, inputs),
    read: async (id: string, props: unknown) => require("pulumi-qoder/provider/impl").read(kind, id, props),
    update: async (id: string, olds: unknown, news: unknown) => require("pulumi-qoder/provider/impl").update(kind, id, olds, news),
    delete: async (id: string, props: unknown) => require("pulumi-qoder/provider/impl").remove(kind, id, props),
  };
}

/** One shim per kind for the life of the program: Pulumi caches serialization by identity. */
export const shims = {
  agent: makeShim("agent"),
  environment: makeShim("environment"),
  skill: makeShim("skill"),
  vault: makeShim("vault"),
  vaultCredential: makeShim("vaultCredential"),
  memoryStore: makeShim("memoryStore"),
  memory: makeShim("memory"),
} satisfies Record<KindName, ReturnType<typeof makeShim>>;
