// The resource classes programs use: `new qoder.Agent("reviewer", {...})`. Each is its args,
// its outputs and the shared shim for its kind; all behaviour lives in the engine.
import * as pulumi from "@pulumi/pulumi";
import { shims } from "./shim";

/** Types show as pulumi-nodejs:dynamic/qoder:<Type> in previews and URNs. */
const MODULE = "qoder";
type In<T> = pulumi.Input<T>;
type DeletionPolicy = "delete" | "archive";

/**
 * Seeds declared outputs so the resource object exposes them (they are not sent as inputs), and
 * records the resource's identity, from which creates derive a stable Idempotency-Key.
 */
function seed(type: string, name: string, args: object, outputs: string[]): Record<string, unknown> {
  const props: Record<string, unknown> = { ...args, __createKey: `${pulumi.getProject()}/${pulumi.getStack()}/${type}/${name}` };
  for (const o of outputs) if (!(o in props)) props[o] = undefined;
  return props;
}

// ---------------------------------------------------------------------------------------------

export interface AgentModelConfig {
  id: string;
  effort?: "none" | "low" | "medium" | "high" | "xhigh" | "max";
  contextWindow?: number;
}
export type AgentTool =
  | { type: "agent_toolset_20260401"; enabledTools?: string[]; disallowedTools?: string[]; configs?: unknown[]; defaultConfig?: unknown }
  | { type: "mcp_toolset"; mcpServerName: string; [k: string]: unknown }
  | { type: "custom"; name: string; description: string; inputSchema: Record<string, unknown> };
export interface McpServer {
  name: string;
  url: string;
  type?: "url";
}
export interface SkillBinding {
  skillId: string;
  /** Pin a skill version; omitted, the agent always uses the latest. */
  version?: string | number;
  type?: "custom" | "qoder";
}

export interface AgentArgs {
  name: In<string>;
  model: In<string | AgentModelConfig>;
  system?: In<string>;
  description?: In<string>;
  tools?: In<In<AgentTool>[]>;
  mcpServers?: In<In<McpServer>[]>;
  /** Skill ids (usually another resource's `skillId`) or bindings with a version. */
  skills?: In<In<string | In<SkillBinding>>[]>;
  metadata?: In<Record<string, In<string>>>;
  /** What `destroy` does: "archive" (default; archive is one-way) or "delete". */
  deletionPolicy?: In<DeletionPolicy>;
  /** Take over an existing agent instead of creating one (the import story). */
  adoptId?: In<string>;
}

export class Agent extends pulumi.dynamic.Resource {
  declare readonly agentId: pulumi.Output<string>;
  declare readonly version: pulumi.Output<number>;
  declare readonly archived: pulumi.Output<boolean>;
  declare readonly archivedAt: pulumi.Output<string | null>;
  declare readonly createdAt: pulumi.Output<string>;
  declare readonly updatedAt: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;
  declare readonly model: pulumi.Output<string | AgentModelConfig>;
  declare readonly system: pulumi.Output<string>;
  declare readonly metadata: pulumi.Output<Record<string, string>>;

  constructor(name: string, args: AgentArgs, opts?: pulumi.CustomResourceOptions) {
    super(shims.agent, name, seed("agent", name, args, ["agentId", "version", "archived", "archivedAt", "createdAt", "updatedAt", "system", "metadata"]), opts, MODULE, "Agent");
  }
}

// ---------------------------------------------------------------------------------------------

export type EnvironmentNetworking =
  | { type: "unrestricted" }
  | { type: "limited"; allowPackageManagers?: boolean }
  | { type: "allowed_hosts"; allowedHosts: string[] };

export interface EnvironmentConfig {
  type?: "cloud" | "self_hosted";
  networking?: EnvironmentNetworking;
  packages?: { apt?: string[]; pip?: string[]; npm?: string[] };
  setupScript?: string;
}

export interface EnvironmentArgs {
  name: In<string>;
  description?: In<string>;
  config?: In<EnvironmentConfig>;
  metadata?: In<Record<string, In<string>>>;
  deletionPolicy?: In<DeletionPolicy>;
  adoptId?: In<string>;
}

export class Environment extends pulumi.dynamic.Resource {
  declare readonly environmentId: pulumi.Output<string>;
  declare readonly status: pulumi.Output<string>;
  declare readonly archived: pulumi.Output<boolean>;
  declare readonly createdAt: pulumi.Output<string>;
  declare readonly updatedAt: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;

  constructor(name: string, args: EnvironmentArgs, opts?: pulumi.CustomResourceOptions) {
    super(shims.environment, name, seed("environment", name, args, ["environmentId", "status", "archived", "createdAt", "updatedAt"]), opts, MODULE, "Environment");
  }
}

// ---------------------------------------------------------------------------------------------

export interface SkillArgs {
  /** Directory holding SKILL.md (relative to the program's working directory). */
  source: In<string>;
  /** Overrides SKILL.md's frontmatter name; both must follow the skill name rule (lowercase, ≤ 64). */
  name?: In<string>;
  description?: In<string>;
  metadata?: In<Record<string, In<string>>>;
  deletionPolicy?: In<"delete">;
}

export class Skill extends pulumi.dynamic.Resource {
  declare readonly skillId: pulumi.Output<string>;
  /** Server version: increments each time the content changes. */
  declare readonly version: pulumi.Output<number>;
  declare readonly contentSha256: pulumi.Output<string>;
  declare readonly contentSize: pulumi.Output<number>;
  /** The uploaded files (relative paths), after the ignore rules: shown in previews. */
  declare readonly files: pulumi.Output<string[]>;
  declare readonly name: pulumi.Output<string>;
  declare readonly description: pulumi.Output<string>;

  constructor(name: string, args: SkillArgs, opts?: pulumi.CustomResourceOptions) {
    super(shims.skill, name, seed("skill", name, args, ["skillId", "version", "contentSha256", "contentSize", "files", "name", "description", "createdAt", "updatedAt"]), opts, MODULE, "Skill");
  }
}

// ---------------------------------------------------------------------------------------------

export interface VaultCredentialInput {
  mcpServerUrl: In<string>;
  protocol?: In<"sse" | "streamable_http">;
  /** Write-only bearer token; stored only as a secret input, never returned. */
  token: In<string>;
}

export interface VaultArgs {
  displayName: In<string>;
  metadata?: In<Record<string, In<string>>>;
  /**
   * The vault's whole credential set (`[]` means none). Leave unset when the credentials are
   * managed elsewhere (VaultCredential resources, the console): the vault then leaves them alone.
   */
  credentials?: In<In<VaultCredentialInput>[]>;
  deletionPolicy?: In<DeletionPolicy>;
}

export interface CredentialState {
  credentialId: string;
  mcpServerUrl: string;
  protocol: string;
  status: string;
}

export class Vault extends pulumi.dynamic.Resource {
  declare readonly vaultId: pulumi.Output<string>;
  declare readonly status: pulumi.Output<string>;
  declare readonly archived: pulumi.Output<boolean>;
  declare readonly credentialIds: pulumi.Output<string[]>;
  declare readonly credentials: pulumi.Output<CredentialState[]>;
  declare readonly createdAt: pulumi.Output<string>;

  constructor(name: string, args: VaultArgs, opts?: pulumi.CustomResourceOptions) {
    // Tokens are secrets even when the program passes plain strings.
    const props = { ...args, credentials: args.credentials === undefined ? undefined : pulumi.secret(args.credentials) };
    super(shims.vault, name, seed("vault", name, props, ["vaultId", "status", "archived", "credentialIds", "createdAt", "updatedAt"]), { ...opts, additionalSecretOutputs: ["credentials", ...(opts?.additionalSecretOutputs ?? [])] }, MODULE, "Vault");
  }
}

export interface VaultCredentialArgs extends VaultCredentialInput {
  /** A vault managed elsewhere (or another stack's Vault.vaultId). */
  vaultId: In<string>;
  deletionPolicy?: In<DeletionPolicy>;
}

export class VaultCredential extends pulumi.dynamic.Resource {
  declare readonly credentialId: pulumi.Output<string>;
  declare readonly status: pulumi.Output<string>;
  declare readonly archived: pulumi.Output<boolean>;
  declare readonly createdAt: pulumi.Output<string>;

  constructor(name: string, args: VaultCredentialArgs, opts?: pulumi.CustomResourceOptions) {
    const props = { ...args, token: pulumi.secret(args.token) };
    // The salted digest is not the token, but there is no reason to show it either.
    const secretOutputs = ["tokenSalt", "tokenDigest", ...(opts?.additionalSecretOutputs ?? [])];
    super(shims.vaultCredential, name, seed("vaultCredential", name, props, ["credentialId", "status", "archived", "createdAt", "tokenSalt", "tokenDigest"]), { ...opts, additionalSecretOutputs: secretOutputs }, MODULE, "VaultCredential");
  }
}

// ---------------------------------------------------------------------------------------------

export interface MemoryStoreArgs {
  name: In<string>;
  /** Required and non-empty: injected into the system prompt of agents using the store. */
  description: In<string>;
  metadata?: In<Record<string, In<string>>>;
  deletionPolicy?: In<DeletionPolicy>;
  adoptId?: In<string>;
}

export class MemoryStore extends pulumi.dynamic.Resource {
  declare readonly memoryStoreId: pulumi.Output<string>;
  declare readonly status: pulumi.Output<string>;
  declare readonly archived: pulumi.Output<boolean>;
  declare readonly entryCount: pulumi.Output<number>;
  declare readonly createdAt: pulumi.Output<string>;

  constructor(name: string, args: MemoryStoreArgs, opts?: pulumi.CustomResourceOptions) {
    super(shims.memoryStore, name, seed("memoryStore", name, args, ["memoryStoreId", "status", "archived", "entryCount", "totalSize", "createdAt", "updatedAt"]), opts, MODULE, "MemoryStore");
  }
}

export interface MemoryArgs {
  storeId: In<string>;
  /** Relative path inside the store, e.g. notes/team.md (no leading "/"). */
  path: In<string>;
  content: In<string>;
  metadata?: In<Record<string, In<string>>>;
  deletionPolicy?: In<"delete">;
}

/**
 * One seeded memory. Agents may rewrite memories while they run: `pulumi refresh` then shows
 * the new content as drift and `pulumi up` writes the seed back. Add
 * `ignoreChanges: ["content"]` to seed once and let agents own the content afterwards.
 */
export class Memory extends pulumi.dynamic.Resource {
  declare readonly memoryId: pulumi.Output<string>;
  declare readonly version: pulumi.Output<number>;
  declare readonly contentSha256: pulumi.Output<string>;
  declare readonly size: pulumi.Output<number>;

  constructor(name: string, args: MemoryArgs, opts?: pulumi.CustomResourceOptions) {
    super(shims.memory, name, seed("memory", name, args, ["memoryId", "version", "contentSha256", "size", "createdAt", "updatedAt"]), opts, MODULE, "Memory");
  }
}
