import { z } from "zod";
import { IntLike, NullableTimestamp, OptString, ResponseMetadata, archivable, identity } from "./common";

export const SkillSchema = z.looseObject({
  ...identity,
  name: z.string(),
  description: OptString,
  skill_type: z.string().optional(),
  /** Integer on the Skill object in Qoder docs; the SDK shape uses string version ids. */
  version: IntLike.optional(),
  content_size: z.number().optional(),
  content_sha256: z.string().optional(),
  /** Only with `?include_content=true`; base64 when `content_encoding` says so. */
  content: z.string().nullable().optional(),
  content_encoding: z.string().nullable().optional(),
  metadata: ResponseMetadata,
  ...archivable,
  created_at: z.string(),
  updated_at: NullableTimestamp,
});
export type Skill = z.infer<typeof SkillSchema>;

export const SkillVersionSchema = z.looseObject({
  /** A string in `/versions` responses, an integer elsewhere. */
  version: IntLike,
  skill_id: z.string().optional(),
  status: z.string().optional(),
  content_size: z.number().optional(),
  content_sha256: z.string().optional(),
  created_at: NullableTimestamp,
  updated_at: NullableTimestamp,
});
export type SkillVersion = z.infer<typeof SkillVersionSchema>;

export const SkillVersionListSchema = z.looseObject({ data: z.array(SkillVersionSchema) });

export interface SkillCreate {
  /** The skill as a .zip with SKILL.md at its root or one directory below. */
  file: Uint8Array;
  filename?: string;
  name?: string;
  description?: string;
  type?: "custom" | "prebuilt";
  metadata?: Record<string, string>;
}

/** JSON body for PUT /skills/{id}; `metadata` replaces the stored map. */
export interface SkillUpdate {
  name?: string;
  description?: string | null;
  content?: string;
  content_encoding?: "base64";
  metadata?: Record<string, string>;
  [extra: string]: unknown;
}
