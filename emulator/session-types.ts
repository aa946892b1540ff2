// Stored shapes of sessions, their events and files. Like types.ts: public objects are stored as
// the API returns them; runtime bookkeeping and file bytes live in separate State maps.
import type { Agent, Metadata } from "./types";

/** Newest status set [Q-skill]; `rescheduling` is never entered here (no real scheduler). */
export type SessionStatus = "rescheduling" | "running" | "idle" | "canceling" | "terminated";

export type SessionResource =
  | { id: string; type: "file"; file_id: string; mount_path: string; created_at: string; updated_at: string }
  | { id: string; type: "github_repository"; url: string; mount_path: string; checkout?: unknown; created_at: string; updated_at: string }
  | {
      id: string;
      type: "memory_store";
      memory_store_id: string;
      access: "read_only" | "read_write";
      instructions?: string;
      mount_path: string;
      created_at: string;
      updated_at: string;
    };

export interface Session {
  type: "session";
  id: string;
  /** The agent version the session was started on, frozen: later agent updates do not reach it. */
  agent: Omit<Agent, "archived">;
  /** Legacy mirror of `agent.id` (older generation). */
  agent_id: string;
  environment_id: string;
  title: string;
  status: SessionStatus;
  metadata: Metadata;
  resources: SessionResource[];
  vault_ids: string[];
  /** Sent as the documented `"K=V;K2=V2"` string, echoed back as an object [Q-skill]. */
  environment_variables: Record<string, string>;
  usage: { total_credits: number };
  archived_at: string | null;
  created_at: string;
  updated_at: string;
}

/** Every event, client- or server-sent: `id`, `type`, `created_at` plus the type's own fields. */
export interface SessionEvent {
  id: string;
  type: string;
  created_at: string;
  [field: string]: unknown;
}

/** One `[[name:arg]]` directive of the scripted runtime. */
export interface Directive {
  name: string;
  arg?: string;
}

/** Where a scripted turn stands between requests (persisted, so a restart keeps a pending action). */
export interface SessionRuntime {
  /** The tool use the turn waits on: a confirmation, or a custom tool's result. */
  pending?: { tool_use_id: string; kind: "confirm" | "custom"; name: string };
  /** Directives left to run once `pending` is resolved. */
  rest: Directive[];
  /** `[[wait]]`: the turn stays running until an interrupt or cancel. */
  waiting: boolean;
  /** An agent.message was already sent this turn (else the turn ends with the default reply). */
  said: boolean;
  /** The open span.model_request_start event, if any. */
  span?: string;
  /** The user's text of the current turn, quoted by the default reply. */
  text: string;
}

export type FilePurpose = "user_upload" | "tool_output" | "skill_output" | "session_resource" | "agent_output";

export interface FileObject {
  /** Newest shape [Q-skill][Q-SDK]. */
  id: string;
  /** Docs shape [Q-cli][Q-new]: the same id under the documented key. */
  file_id: string;
  type: "file";
  filename: string;
  size_bytes: number;
  mime_type: string;
  purpose: FilePurpose;
  status: "ready";
  downloadable: boolean;
  scope: { type: "session"; id: string } | null;
  metadata: Metadata;
  expires_at?: string;
  created_at: string;
  updated_at: string;
}
