import { z } from "zod";
import { NullableTimestamp, OptString, ResponseMetadata, archivable, identity, timestamps, type MetadataPatch } from "./common";

export const MemoryStoreSchema = z.looseObject({
  ...identity,
  name: z.string(),
  description: OptString,
  entry_count: z.number().optional(),
  total_size: z.number().optional(),
  metadata: ResponseMetadata,
  ...archivable,
  ...timestamps,
});
export type MemoryStore = z.infer<typeof MemoryStoreSchema>;

export const MemorySchema = z.looseObject({
  ...identity,
  store_id: z.string().optional(),
  path: z.string(),
  /** Absent in list responses. */
  content: z.string().nullable().optional(),
  size: z.number().optional(),
  content_sha256: z.string().optional(),
  /** OCC token for updates. */
  version: z.number().int(),
  metadata: ResponseMetadata,
  created_at: z.string(),
  updated_at: NullableTimestamp,
});
export type Memory = z.infer<typeof MemorySchema>;

export interface MemoryStoreCreate {
  name: string;
  description: string;
  metadata?: Record<string, string>;
}

export interface MemoryStoreUpdate {
  name?: string;
  description?: string | null;
  metadata?: MetadataPatch | null;
}

export interface MemoryCreate {
  /** Relative; must not start with `/`. */
  path: string;
  content: string;
  metadata?: Record<string, string>;
}

export interface MemoryUpdate {
  content: string;
  /** Current entry version (OCC); mismatch → ConflictError. */
  version?: number;
}
