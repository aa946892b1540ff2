// The provider each resource class hands to pulumi.dynamic.Resource: the exports object of its
// kind's module under providers/, never a copy, since Pulumi serializes a module it finds in
// require.cache under node_modules as a `require` of it (the 250-byte `__provider`), and caches
// serialization by object identity (one serialization per kind per program).
import type * as pulumi from "@pulumi/pulumi";
import type { KindName } from "./kinds";
import * as agent from "./providers/agent";
import * as environment from "./providers/environment";
import * as file from "./providers/file";
import * as memory from "./providers/memory";
import * as memoryStore from "./providers/memory-store";
import * as skill from "./providers/skill";
import * as vault from "./providers/vault";
import * as vaultCredential from "./providers/vault-credential";

export const kindProviders = { agent, environment, skill, vault, vaultCredential, memoryStore, memory, file } satisfies Record<
  KindName,
  pulumi.dynamic.ResourceProvider
>;
