// The resource classes programs use: `new qoder.Agent("reviewer", {...})`. Each is made from its
// kind: the args are the kind's schema input (every value may be a pulumi.Input), the outputs
// its state, the seeded output names its declared `outputs`. All behaviour lives in the engine.
import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import { agentSchema, type AgentState } from "./kinds/agent";
import { environmentSchema, type EnvironmentState } from "./kinds/environment";
import { fileSchema, type FileState } from "./kinds/file";
import { kinds, type KindName } from "./kinds";
import { memorySchema, type MemoryState } from "./kinds/memory";
import { memoryStoreSchema, type MemoryStoreState } from "./kinds/memory-store";
import { skillSchema, type SkillState } from "./kinds/skill";
import { vaultSchema, type VaultState } from "./kinds/vault";
import { vaultCredentialSchema, type VaultCredentialState } from "./kinds/vault-credential";
import { kindProviders } from "./kind-providers";
import { CREATE_KEY_FIELD } from "./state-keys";

/** Types show as pulumi-nodejs:dynamic/qoder:<Type> in previews and URNs. */
const MODULE = "qoder";

/** A schema's input with every value, at every depth, allowed to be a pulumi.Input. */
export type Args<T> = T extends string | number | boolean | null | undefined
  ? pulumi.Input<T>
  : T extends ReadonlyArray<infer E>
    ? pulumi.Input<Args<E>[]>
    : T extends object
      ? pulumi.Input<{ [K in keyof T]: Args<T[K]> }>
      : pulumi.Input<T>;

/** The args object itself is plain (a resource's args cannot be one Output). */
type ArgsOf<S extends z.ZodType> = { [K in keyof z.input<S>]: Args<z.input<S>[K]> };

/** Every state property as an output of the resource. */
type Outputs<S> = { readonly [K in keyof S]-?: pulumi.Output<S[K]> };

interface ClassOptions<A> {
  /** Inputs wrapped as secrets even when the program passes plain strings. */
  secretInputs?: ReadonlyArray<keyof A & string>;
  /** Outputs stored encrypted. */
  secretOutputs?: string[];
}

/**
 * A resource class for one kind. The id output (`agentId`, ...) resolves from the resource's
 * `id`, which stays known while an in-place update is previewed: resources that reference it
 * (an agent's skills, a memory's store) then preview as unchanged instead of "known after apply".
 */
function resourceClass<A extends object, S>(name: KindName, options: ClassOptions<A> = {}) {
  const kind = kinds[name];
  const seeded = [...Object.keys(kind.fields), "deletionPolicy", ...Object.keys(kind.outputs)];
  class QoderResource extends pulumi.dynamic.Resource {
    constructor(resourceName: string, args: A, opts?: pulumi.CustomResourceOptions) {
      const props: Record<string, unknown> = Object.fromEntries(Object.entries(args));
      for (const key of options.secretInputs ?? []) if (props[key] !== undefined) props[key] = pulumi.secret(props[key]);
      // The resource's identity, from which creates derive a stable Idempotency-Key.
      props[CREATE_KEY_FIELD] = `${pulumi.getProject()}/${pulumi.getStack()}/${name}/${resourceName}`;
      // Seeded so that the resource object exposes them (undefined values are not sent).
      for (const key of seeded) if (!(key in props)) props[key] = undefined;
      const secrets = [...(options.secretOutputs ?? []), ...(opts?.additionalSecretOutputs ?? [])];
      super(kindProviders[name], resourceName, props, secrets.length ? { ...opts, additionalSecretOutputs: secrets } : opts, MODULE, kind.title);
      Object.defineProperty(this, kind.idOutput, { value: this.id, enumerable: true });
    }
  }
  // The outputs are created by pulumi.dynamic.Resource from the seeded names at run time; the
  // type says which they are, from the kind's state.
  return QoderResource as unknown as new (name: string, args: A, opts?: pulumi.CustomResourceOptions) => pulumi.dynamic.Resource & Outputs<S>;
}

// Shapes inside the args, by the names earlier versions exported, derived from the schemas.
type AgentInput = z.input<typeof agentSchema>;
export type AgentModelConfig = Exclude<AgentInput["model"], string>;
export type AgentTool = NonNullable<AgentInput["tools"]>[number];
export type McpServer = NonNullable<AgentInput["mcpServers"]>[number];
export type SkillBinding = Exclude<NonNullable<AgentInput["skills"]>[number], string>;
export type EnvironmentConfig = NonNullable<z.input<typeof environmentSchema>["config"]>;
export type EnvironmentNetworking = NonNullable<EnvironmentConfig["networking"]>;
export type VaultCredentialInput = NonNullable<z.input<typeof vaultSchema>["credentials"]>[number];
export type CredentialState = VaultState["credentials"][number];

export type AgentArgs = ArgsOf<typeof agentSchema>;
export const Agent = resourceClass<AgentArgs, AgentState>("agent");
export type Agent = InstanceType<typeof Agent>;

export type EnvironmentArgs = ArgsOf<typeof environmentSchema>;
export const Environment = resourceClass<EnvironmentArgs, EnvironmentState>("environment");
export type Environment = InstanceType<typeof Environment>;

export type SkillArgs = ArgsOf<typeof skillSchema>;
export const Skill = resourceClass<SkillArgs, SkillState>("skill");
export type Skill = InstanceType<typeof Skill>;

export type VaultArgs = ArgsOf<typeof vaultSchema>;
/** Tokens are secrets even when the program passes plain strings. */
export const Vault = resourceClass<VaultArgs, VaultState>("vault", { secretInputs: ["credentials"], secretOutputs: ["credentials"] });
export type Vault = InstanceType<typeof Vault>;

export type VaultCredentialArgs = ArgsOf<typeof vaultCredentialSchema>;
/** The salted digest is not the token, but there is no reason to show it either. */
export const VaultCredential = resourceClass<VaultCredentialArgs, VaultCredentialState>("vaultCredential", { secretInputs: ["token"], secretOutputs: ["tokenSalt", "tokenDigest"] });
export type VaultCredential = InstanceType<typeof VaultCredential>;

export type MemoryStoreArgs = ArgsOf<typeof memoryStoreSchema>;
export const MemoryStore = resourceClass<MemoryStoreArgs, MemoryStoreState>("memoryStore");
export type MemoryStore = InstanceType<typeof MemoryStore>;

/**
 * One seeded memory. Agents may rewrite memories while they run: `pulumi refresh` then shows
 * the new content as drift and `pulumi up` writes the seed back. Add
 * `ignoreChanges: ["content"]` to seed once and let agents own the content afterwards.
 */
export type MemoryArgs = ArgsOf<typeof memorySchema>;
export const Memory = resourceClass<MemoryArgs, MemoryState>("memory");
export type Memory = InstanceType<typeof Memory>;

/**
 * A local file uploaded to Qoder, to attach to sessions as a `file` resource. Files cannot be
 * changed in place: editing the file (or any input) replaces it with a new upload.
 */
export type FileArgs = ArgsOf<typeof fileSchema>;
export const File = resourceClass<FileArgs, FileState>("file");
export type File = InstanceType<typeof File>;
