import { z } from "zod";
import { NullableTimestamp, ResponseMetadata, Timestamp } from "./common";

/**
 * Two documented shapes: `{file_id, filename, size_bytes, mime_type, purpose, status, …}` (docs)
 * and `{id, type:"file", downloadable, scope, …}` (newest). Either id key parses; `id` is always set.
 */
export const FileSchema = z
  .looseObject({
    id: z.string().optional(),
    file_id: z.string().optional(),
    type: z.string().optional(),
    filename: z.string(),
    size_bytes: z.number(),
    mime_type: z.string().optional(),
    purpose: z.string().optional(),
    status: z.string().optional(),
    downloadable: z.boolean().optional(),
    scope: z.record(z.string(), z.unknown()).nullable().optional(),
    metadata: ResponseMetadata,
    expires_at: NullableTimestamp,
    created_at: Timestamp,
    updated_at: Timestamp.optional(),
  })
  .refine((f) => f.id !== undefined || f.file_id !== undefined, { message: "a file needs `id` or `file_id`", path: ["id"] })
  .transform((f) => ({ ...f, id: (f.id ?? f.file_id) as string }));
export type FileObject = z.infer<typeof FileSchema>;

/** `GET /files/{id}/content` as JSON (newest), or the body of the older 302. */
export const FileContentUrlSchema = z.looseObject({ url: z.string(), expires_at: NullableTimestamp });
export interface FileContentUrl {
  /** Presigned: fetch it without the API token (it carries its own signature). */
  url: string;
  expires_at: string | null;
}

export type FilePurpose = "user_upload" | "tool_output" | "skill_output" | "session_resource" | "agent_output";

export interface FileUpload {
  file: Uint8Array;
  /** The uploaded part's file name (default "file"). */
  filename?: string;
  /** A custom name stored instead of `filename` (form field `name`). */
  name?: string;
  /** Default on the server: `user_upload`; the newest generation drops the field. */
  purpose?: FilePurpose | (string & {});
  metadata?: Record<string, string>;
  /** Default `application/octet-stream`; the server detects the stored `mime_type` itself. */
  contentType?: string;
}

export type FileListParams = {
  limit?: number;
  after_id?: string;
  before_id?: string;
  purpose?: string;
  "created_at[gte]"?: string;
  "created_at[lte]"?: string;
};
