import * as path from "node:path";
import { z } from "zod";
import { metadataSchema } from "../schemas";
import { SkillSourceError, zipDirectory } from "../skill-zip";
import type { Inputs, Kind, Outputs } from "./kind";

/**
 * Skill content travels as base64 inside a JSON update body, which must stay under the request
 * limit (4 MB on the CN API): a zip over this size could be created but never updated.
 */
export const MAX_SKILL_ZIP_BYTES = Math.floor(((4 * 1024 * 1024 - 64 * 1024) * 3) / 4);

const schema = z
  .object({
    source: z.string().min(1),
    name: z
      .string()
      .max(64)
      .regex(/^[a-z0-9][a-z0-9_-]*$/, "must be lowercase letters, digits, - or _, starting with a letter or digit")
      .optional(),
    description: z.string().max(1024).optional(),
    metadata: metadataSchema,
    deletionPolicy: z.literal("delete", { message: 'skills cannot be archived: use "delete" or retainOnDelete' }).default("delete"),
  })
  .strict();

function archive(source: string) {
  const a = zipDirectory(source);
  if (a.size > MAX_SKILL_ZIP_BYTES) {
    throw new SkillSourceError(
      `zipped skill is ${(a.size / 1048576).toFixed(2)} MB; over ${(MAX_SKILL_ZIP_BYTES / 1048576).toFixed(2)} MB its ` +
        "base64 update body would exceed the 4 MB request limit",
    );
  }
  return a;
}

export const skillKind: Kind = {
  name: "skill",
  title: "Skill",
  idOutput: "skillId",
  schema: schema as unknown as z.ZodType<Inputs>,
  fields: {
    source: { ignore: true }, // the path is not the content: contentSha256 is
    contentSha256: {},
    name: { serverDefault: true }, // unset: the server takes SKILL.md's frontmatter
    description: { serverDefault: true },
    metadata: {},
  },
  deletion: { default: "delete", canArchive: false },
  enrich: (inputs) => {
    const a = archive(inputs.source);
    return { ...inputs, contentSha256: a.sha256, contentSize: a.size };
  },

  create: (c, i, opts) =>
    c.skills.create(
      {
      file: archive(i.source).zip,
      filename: `${path.basename(path.resolve(i.source))}.zip`,
      ...(i.name ? { name: i.name } : {}),
      ...(i.description ? { description: i.description } : {}),
      metadata: i.metadata,
      },
      opts,
    ),
  get: (c, id) => c.skills.get(id),
  update: (c, id, _olds, news, changed) => {
    const body: Record<string, unknown> = {};
    const content = changed.includes("contentSha256");
    if (content) {
      body.content = archive(news.source).zip.toString("base64");
      body.content_encoding = "base64";
    }
    // The server fills name/description from new content's frontmatter when the body omits them,
    // so values the program sets travel with every upload or the upload would overwrite them.
    if (news.name && (content || changed.includes("name"))) body.name = news.name;
    if (news.description !== undefined && (content || changed.includes("description"))) body.description = news.description;
    if (changed.includes("metadata")) body.metadata = news.metadata; // skill metadata is replaced whole
    return c.skills.update(id, body as any);
  },
  destroy: (c, id) => c.skills.delete(id),

  toInputs: (live: any, prev: Outputs) => ({
    source: prev.source,
    name: live.name,
    description: live.description,
    metadata: live.metadata ?? {},
    contentSha256: live.content_sha256,
    contentSize: live.content_size,
    deletionPolicy: "delete",
  }),
  computed: (live: any) => ({
    skillId: live.id,
    version: Number(live.version),
    name: live.name,
    description: live.description,
    contentSha256: live.content_sha256,
    contentSize: live.content_size,
    createdAt: live.created_at,
    updatedAt: live.updated_at,
  }),
};
