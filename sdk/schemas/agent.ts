import { z } from "zod";
import { IntLike, OptString, ResponseMetadata, archivable, identity, timestamps, type MetadataPatch } from "./common";

/** `{id, effort, context_window}`; models without efforts accept only the string form. */
export const ModelConfigSchema = z.looseObject({
  id: z.string(),
  effort: z.string().optional(),
  context_window: z.number().optional(),
});
export type ModelConfig = z.infer<typeof ModelConfigSchema>;
export const AgentModelSchema = z.union([z.string(), ModelConfigSchema]);
export type AgentModel = z.infer<typeof AgentModelSchema>;

/** Tools are a `type`-tagged union whose variants keep growing; unknown fields pass through. */
export const AgentToolSchema = z.looseObject({
  type: z.string(),
  enabled_tools: z.array(z.string()).optional(),
  disallowed_tools: z.array(z.string()).optional(),
  mcp_server_name: z.string().optional(),
  name: z.string().optional(),
  description: z.string().optional(),
  input_schema: z.record(z.string(), z.unknown()).optional(),
  configs: z.array(z.record(z.string(), z.unknown())).optional(),
  default_config: z.record(z.string(), z.unknown()).optional(),
});
export type AgentTool = z.infer<typeof AgentToolSchema>;

export const MCPServerSchema = z.looseObject({ type: z.string(), name: z.string(), url: z.string() });
export type MCPServer = z.infer<typeof MCPServerSchema>;

export const SkillBindingSchema = z.looseObject({
  type: z.string(),
  skill_id: z.string(),
  version: IntLike.nullable().optional(),
});
export type SkillBinding = z.infer<typeof SkillBindingSchema>;

export const AgentSchema = z.looseObject({
  ...identity,
  name: z.string(),
  description: OptString,
  model: AgentModelSchema,
  /** Newest docs; older generations mirror it as `instructions`. */
  system: OptString,
  instructions: OptString,
  default_environment: OptString,
  tools: z.array(AgentToolSchema).optional().default([]),
  mcp_servers: z.array(MCPServerSchema).optional().default([]),
  skills: z.array(SkillBindingSchema).optional().default([]),
  multiagent: z.record(z.string(), z.unknown()).nullable().optional(),
  metadata: ResponseMetadata,
  version: z.number().int(),
  ...archivable,
  ...timestamps,
});
export type Agent = z.infer<typeof AgentSchema>;

/** DELETE /agents/{id} answers `{type, id, deleted}` (or, tolerated, 204). */
export const AgentDeletedSchema = z.looseObject({
  ...identity,
  deleted: z.boolean().optional().default(true),
});
export type AgentDeleted = z.infer<typeof AgentDeletedSchema>;

export interface AgentCreate {
  name: string;
  model: AgentModel;
  system?: string;
  instructions?: string;
  description?: string;
  tools?: AgentTool[];
  mcp_servers?: MCPServer[];
  skills?: SkillBinding[];
  metadata?: Record<string, string>;
  multiagent?: Record<string, unknown>;
  [extra: string]: unknown;
}

/** Sent as given: `null` clears a field, metadata is a patch, `version` is the OCC precondition. */
export interface AgentUpdate {
  version: number;
  name?: string;
  model?: AgentModel;
  system?: string | null;
  instructions?: string | null;
  description?: string | null;
  tools?: AgentTool[] | null;
  mcp_servers?: MCPServer[] | null;
  skills?: SkillBinding[] | null;
  metadata?: MetadataPatch | null;
  multiagent?: Record<string, unknown> | null;
  [extra: string]: unknown;
}

/** The model id whichever form the server used. */
export function modelId(model: AgentModel): string {
  return typeof model === "string" ? model : model.id;
}

/** The system prompt whichever field carries it (`system` newest, `instructions` older/CN). */
export function agentSystemPrompt(agent: Pick<Agent, "system" | "instructions">): string {
  return agent.system ?? agent.instructions ?? "";
}


