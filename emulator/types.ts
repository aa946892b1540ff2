// Stored shapes. Public objects are stored exactly as the API returns them; anything private
// (secret hashes, skill bytes, snapshots) lives in separate maps of State so it never leaks by accident.

import type { FileObject, Session, SessionEvent, SessionRuntime } from "./session-types";

export type Metadata = Record<string, string>;

export interface Agent {
  type: "agent";
  id: string;
  name: string;
  description: string;
  model: string | { id: string; effort?: string; context_window?: number };
  system: string;
  tools: unknown[];
  mcp_servers: unknown[];
  skills: unknown[];
  metadata: Metadata;
  multiagent?: unknown;
  version: number;
  archived?: boolean;
  archived_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface Environment {
  type: "environment";
  id: string;
  name: string;
  description: string;
  status: "ready" | "archived";
  config: Record<string, unknown>;
  metadata: Metadata;
  archived: boolean;
  archived_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface Skill {
  type: "skill";
  id: string;
  name: string;
  description: string;
  skill_type: "custom" | "prebuilt";
  status: "active";
  version: number;
  content_size: number;
  content_sha256: string;
  metadata: Metadata;
  created_at: string;
  updated_at: string;
}

export interface SkillVersion {
  version: string;
  skill_id: string;
  status: "active";
  content_size: number;
  content_sha256: string;
  created_at: string;
  updated_at: string;
}

export interface Vault {
  type: "vault";
  id: string;
  display_name: string;
  status: "active" | "archived";
  metadata: Metadata;
  archived_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface Credential {
  id: string;
  type: "static_bearer" | "environment_variable";
  vault_id: string;
  mcp_server_url?: string;
  protocol?: "sse" | "streamable_http";
  secret_name?: string;
  auth: { type: string; mcp_server_url?: string; secret_name?: string };
  status: "active" | "archived";
  display_name: string | null;
  metadata: Metadata;
  archived_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface MemoryStore {
  type: "memory_store";
  id: string;
  name: string;
  description: string;
  status: "active" | "archived";
  metadata: Metadata;
  archived_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface Memory {
  type: "memory";
  id: string;
  store_id: string;
  path: string;
  content: string;
  size: number;
  content_sha256: string;
  version: number;
  metadata: Metadata;
  created_at: string;
  updated_at: string;
}

export interface MemoryVersion {
  type: "memory_version";
  id: string;
  store_id: string;
  entry_id: string;
  entry_path: string;
  action: "created" | "updated" | "deleted";
  content?: string;
  size: number;
  content_sha256: string;
  redacted: boolean;
  redacted_at?: string;
  created_at: string;
}

export interface State {
  agents: Record<string, Agent>;
  /** agent id → snapshots, index = version - 1 (no `archived` boolean). */
  agentVersions: Record<string, Agent[]>;
  environments: Record<string, Environment>;
  skills: Record<string, Skill>;
  /** skill id → base64 zip bytes of the current version. */
  skillContent: Record<string, string>;
  skillVersions: Record<string, SkillVersion[]>;
  vaults: Record<string, Vault>;
  credentials: Record<string, Credential>;
  /** credential id → salted hash of the write-only secret (never the secret itself). */
  credentialSecrets: Record<string, string>;
  memoryStores: Record<string, MemoryStore>;
  memories: Record<string, Memory>;
  memoryVersions: Record<string, MemoryVersion>;
  sessions: Record<string, Session>;
  /** session id → its events in order (ids ascending). */
  sessionEvents: Record<string, SessionEvent[]>;
  /** session id → where its scripted turn stands (emulator/runtime.ts). */
  sessionRuntime: Record<string, SessionRuntime>;
  files: Record<string, FileObject>;
  /** file id → base64 bytes. */
  fileContent: Record<string, string>;
}

const STATE_KEYS = [
  "agents",
  "agentVersions",
  "environments",
  "skills",
  "skillContent",
  "skillVersions",
  "vaults",
  "credentials",
  "credentialSecrets",
  "memoryStores",
  "memories",
  "memoryVersions",
  "sessions",
  "sessionEvents",
  "sessionRuntime",
  "files",
  "fileContent",
] as const satisfies readonly (keyof State)[];

/**
 * A map keyed by ids that come from URLs: no prototype, so `__proto__`, `constructor` and the
 * like are ordinary missing keys (and can never be assigned through to Object.prototype).
 */
export function idMap<T>(entries: Record<string, T> = {}): Record<string, T> {
  return Object.assign(Object.create(null) as Record<string, T>, entries);
}

export function emptyState(): State {
  return fromStored({});
}

/** State as read back from JSON (data file or rollback image), with every map prototype-free. */
export function fromStored(stored: Partial<Record<keyof State, unknown>>): State {
  const state = {} as Record<keyof State, Record<string, unknown>>;
  for (const key of STATE_KEYS) {
    const value = stored[key];
    state[key] = idMap(typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {});
  }
  return state as unknown as State;
}
