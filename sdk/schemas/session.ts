import { z } from "zod";
import { AgentSchema } from "./agent";
import { NullableTimestamp, ResponseMetadata, Timestamp, identity, type MetadataPatch } from "./common";

/** Session resources: a `type`-tagged union (file, github_repository, memory_store) that may grow. */
export const SessionResourceSchema = z.looseObject({
  ...identity,
  type: z.string(),
  file_id: z.string().optional(),
  url: z.string().optional(),
  memory_store_id: z.string().optional(),
  access: z.string().optional(),
  instructions: z.string().optional(),
  mount_path: z.string().optional(),
  created_at: Timestamp.optional(),
  updated_at: Timestamp.optional(),
});
export type SessionResource = z.infer<typeof SessionResourceSchema>;

export const SessionSchema = z.looseObject({
  ...identity,
  /** The agent version the session runs (a snapshot: later agent updates do not change it). */
  agent: AgentSchema.optional(),
  /** Older generation's mirror of `agent.id`. */
  agent_id: z.string().optional(),
  environment_id: z.string().optional(),
  title: z.string().nullable().optional(),
  /** Newest `rescheduling|running|idle|canceling|terminated`; the guide's `processing` parses too. */
  status: z.string(),
  metadata: ResponseMetadata,
  resources: z.array(SessionResourceSchema).optional().default([]),
  vault_ids: z.array(z.string()).optional().default([]),
  environment_variables: z.record(z.string(), z.string()).optional(),
  usage: z.looseObject({ total_credits: z.number().optional() }).nullable().optional(),
  archived_at: NullableTimestamp,
  created_at: Timestamp,
  updated_at: Timestamp,
});
export type Session = z.infer<typeof SessionSchema>;

/** DELETE answers `{id, type:"session_deleted"}` (or, tolerated, 204). */
export const DeletedSchema = z.looseObject({ ...identity });
export type Deleted = z.infer<typeof DeletedSchema>;

/** `agent_…` runs the latest version; the object form pins one. */
export type AgentRef = string | { type: "agent"; id: string; version?: number };

export type SessionResourceCreate =
  | { type: "file"; file_id: string; mount_path?: string }
  | { type: "github_repository"; url: string; authorization_token?: string; mount_path?: string; checkout?: Record<string, unknown> }
  | { type: "memory_store"; memory_store_id: string; access?: "read_only" | "read_write"; instructions?: string };

export interface SessionCreate {
  agent: AgentRef;
  environment_id: string;
  title?: string;
  metadata?: Record<string, string>;
  resources?: SessionResourceCreate[];
  vault_ids?: string[];
  /**
   * The API takes the string form `"K=V;K2=V2"`; an object is encoded to it (names checked,
   * see `encodeEnvironmentVariables`) before sending.
   */
  environment_variables?: string | Record<string, string>;
  [extra: string]: unknown;
}

export interface SessionUpdate {
  title?: string | null;
  metadata?: MetadataPatch | null;
  [extra: string]: unknown;
}

// ---- Events -------------------------------------------------------------------------------

export const ContentBlockSchema = z.looseObject({ type: z.string(), text: z.string().optional() });
export type ContentBlock = z.infer<typeof ContentBlockSchema>;
const Content = z.array(ContentBlockSchema);

/** `end_turn | cancelled | requires_action` as a string or as `{type, event_ids}`. */
export const StopReasonSchema = z.union([z.string(), z.looseObject({ type: z.string(), event_ids: z.array(z.string()).optional() })]);
export type StopReason = z.infer<typeof StopReasonSchema>;

const base = { id: z.string(), created_at: Timestamp.optional(), processed_at: NullableTimestamp };
const event = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) => z.looseObject({ ...base, type: z.literal(type), ...shape });

/** Every documented event type's own fields; unknown fields (and unknown types) pass through. */
export const EVENT_SCHEMAS = {
  "user.message": event("user.message", { content: Content }),
  "user.interrupt": event("user.interrupt", {}),
  "user.tool_confirmation": event("user.tool_confirmation", { tool_use_id: z.string(), result: z.string(), deny_message: z.string().optional() }),
  "user.tool_result": event("user.tool_result", { tool_use_id: z.string(), content: Content.optional(), is_error: z.boolean().optional() }),
  "user.custom_tool_result": event("user.custom_tool_result", { custom_tool_use_id: z.string(), content: Content.optional(), is_error: z.boolean().optional() }),
  "system.message": event("system.message", { content: Content }),
  "session.status_running": event("session.status_running", {}),
  "session.status_idle": event("session.status_idle", { stop_reason: StopReasonSchema.nullable().optional() }),
  "session.status_terminated": event("session.status_terminated", {}),
  "session.error": event("session.error", {
    error: z.looseObject({ type: z.string().optional(), message: z.string(), retryable: z.boolean().optional() }),
  }),
  "span.model_request_start": event("span.model_request_start", {}),
  "span.model_request_end": event("span.model_request_end", {
    model_request_start_id: z.string().optional(),
    is_error: z.boolean().optional(),
    model_usage: z.record(z.string(), z.unknown()).optional(),
  }),
  "agent.message": event("agent.message", { content: Content }),
  "agent.thinking": event("agent.thinking", { content: Content.optional() }),
  "agent.tool_use": event("agent.tool_use", { name: z.string(), input: z.record(z.string(), z.unknown()).optional(), evaluated_permission: z.string().optional() }),
  "agent.custom_tool_use": event("agent.custom_tool_use", { name: z.string(), input: z.record(z.string(), z.unknown()).optional() }),
  "agent.tool_result": event("agent.tool_result", { tool_use_id: z.string(), content: Content.optional(), is_error: z.boolean().optional() }),
  "agent.artifact_delivered": event("agent.artifact_delivered", { file_id: z.string(), filename: z.string().optional() }),
} as const;

export type KnownEventType = keyof typeof EVENT_SCHEMAS;
export type EventOf<T extends KnownEventType> = z.infer<(typeof EVENT_SCHEMAS)[T]>;
/** An event of a type this client does not know (yet): only `id` and `type` are promised. */
export type OtherEvent = { id: string; type: string; created_at?: string; [field: string]: unknown };
export type SessionEvent = { [T in KnownEventType]: EventOf<T> }[KnownEventType] | OtherEvent;

const OtherEventSchema = z.looseObject({ ...base, type: z.string() });

/**
 * Known types are checked against their own schema, anything else against the common shape,
 * so a server that adds event types does not break old clients.
 */
export const SessionEventSchema: z.ZodType<SessionEvent> = z.unknown().transform((value, ctx): SessionEvent => {
  const type = typeof value === "object" && value !== null ? (value as { type?: unknown }).type : undefined;
  const schema: z.ZodType = typeof type === "string" && Object.hasOwn(EVENT_SCHEMAS, type) ? EVENT_SCHEMAS[type as KnownEventType] : OtherEventSchema;
  const result = schema.safeParse(value);
  if (result.success) return result.data as SessionEvent;
  for (const issue of result.error.issues) ctx.addIssue({ ...issue, path: issue.path } as never);
  return z.NEVER;
});

/** Narrows an event to a known type: `if (isEvent(e, "agent.message")) e.content…`. */
export function isEvent<T extends KnownEventType>(e: SessionEvent, type: T): e is EventOf<T> {
  return e.type === type;
}

/** The text of an event's `content` blocks (agent.message, agent.thinking, user.message…), joined. */
export function eventText(e: SessionEvent | UserEvent): string {
  const content = (e as { content?: unknown }).content;
  if (!Array.isArray(content)) return "";
  return content.map((b: ContentBlock) => (b.type === "text" && typeof b.text === "string" ? b.text : "")).join("");
}

/** `session.status_idle`'s stop reason type whichever form the server used. */
export function stopReasonType(e: EventOf<"session.status_idle">): string | undefined {
  const r = e.stop_reason;
  return typeof r === "string" ? r : (r?.type ?? undefined);
}

export const EventListSchema = z.looseObject({ data: z.array(SessionEventSchema) });

/** Client-sent events (`POST /sessions/{id}/events` body `{events:[…]}`). */
export type UserEvent =
  | { type: "user.message"; content: ContentBlock[] }
  | { type: "user.interrupt" }
  | { type: "user.tool_confirmation"; tool_use_id: string; result: "allow" | "deny"; deny_message?: string }
  | { type: "user.tool_result"; tool_use_id: string; content?: ContentBlock[]; is_error?: boolean }
  | { type: "user.custom_tool_result"; custom_tool_use_id: string; content?: ContentBlock[]; is_error?: boolean }
  | { type: "user.define_outcome"; [field: string]: unknown }
  | { type: "system.message"; content: ContentBlock[] };

/** A `user.message` of one text block (a plain string is refused by the API). */
export const userMessage = (text: string): UserEvent => ({ type: "user.message", content: [{ type: "text", text }] });

export type EventListParams = {
  limit?: number;
  after_id?: string;
  before_id?: string;
  /** Default `asc` (chronological). */
  order?: "asc" | "desc";
  /** Only these event types (sent as `types[]`). */
  types?: string[];
  "created_at[gte]"?: string;
  "created_at[lte]"?: string;
};

export type SessionListParams = {
  limit?: number;
  after_id?: string;
  before_id?: string;
  include_archived?: boolean;
  agent_id?: string;
  "created_at[gte]"?: string;
  "created_at[lte]"?: string;
};
