// The methods of one kind's dynamic provider, as `provider/providers/<kind>.ts` exports them.
// Each is a one-line lazy `require` of the installed implementation (`provider/impl`): resolved
// at run time in the provider process, so refresh and destroy run the installed code, never code
// frozen in state, and nothing here captures a client, a secret or a module.
//
// What lands in `__provider`: from an installed package, Pulumi's serializer sees the module
// `pulumi-qoder/provider/providers/<kind>` in node_modules and writes `require(...)` of it
// (~250 bytes). Where the package is not under node_modules (this repository, linked to itself),
// it serializes these functions by value instead (~1.5 KB): both run the same installed code.
//
// State written before 0.2 holds an object of the same seven methods by value; it calls the same
// `pulumi-qoder/provider/impl` exports, which therefore never change their names or arguments.
// `unknown` parameters: the host passes whatever state holds.
import type { KindName } from "./kinds";

export function providerMethods(kind: KindName) {
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
