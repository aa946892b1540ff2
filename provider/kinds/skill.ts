import * as fs from "node:fs";
import * as path from "node:path";
import { z } from "zod";
import { metadataSchema, SKILL_NAME_RULE, skillName } from "../schemas";
import { zipDirectory } from "../skill-zip";
import { parseYaml, splitFrontmatter } from "../yaml-text";
import type { CheckProblem, Inputs, Kind, Outputs } from "./kind";

/**
 * Skill content travels as base64 inside a JSON update body, which must stay under the request
 * limit (4 MB on the CN API): a zip over this size could be created but never updated.
 */
export const MAX_SKILL_ZIP_BYTES = Math.floor(((4 * 1024 * 1024 - 64 * 1024) * 3) / 4);

const schema = z
  .object({
    source: z.string().min(1),
    name: skillName.optional(),
    description: z.string().max(1024).optional(),
    metadata: metadataSchema,
    deletionPolicy: z.literal("delete", { message: 'skills cannot be archived: use "delete" or retainOnDelete' }).default("delete"),
  })
  .strict();

function archive(source: string) {
  return zipDirectory(source, { bytes: MAX_SKILL_ZIP_BYTES, reason: "its base64 update body would exceed the 4 MB request limit" });
}

/**
 * SKILL.md's frontmatter name, and why it is refused. The server takes a skill's name from
 * there (on create even over the form field, per the docs), while the update accepts only
 * SKILL_NAME_RULE: a frontmatter name outside it would create a skill that can never be
 * updated, so preview refuses it, naming the file.
 */
export function skillManifest(source: string): { name?: unknown; problems: CheckProblem[] } {
  const file = path.join(source, "SKILL.md");
  if (!fs.existsSync(file)) return { problems: [] }; // the zip reports a missing SKILL.md
  const { frontmatter } = splitFrontmatter(fs.readFileSync(file, "utf8"));
  if (frontmatter === undefined) return { problems: [] };
  const yaml = parseYaml(frontmatter, 1);
  if (!yaml.ok) return { problems: [{ path: "source", message: `${file}: frontmatter: ${yaml.error}` }] };
  const name = yaml.value && typeof yaml.value === "object" ? (yaml.value as { name?: unknown }).name : undefined;
  if (name === undefined || name === null || skillName.safeParse(name).success) return { name, problems: [] };
  const message = `${file}: frontmatter.name ${JSON.stringify(name)}: a skill name must be ${SKILL_NAME_RULE} (Qoder refuses other names on update)`;
  return { name, problems: [{ path: "source", message }] };
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
    files: { ignore: true }, // shown in previews; a change always comes with a new contentSha256
  },
  deletion: { default: "delete", canArchive: false },
  validate: (inputs) => skillManifest(inputs.source).problems,
  enrich: (inputs) => {
    const a = archive(inputs.source);
    return { ...inputs, contentSha256: a.sha256, contentSize: a.size, files: a.files };
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
    // The API does not list a skill's files: the last upload's list is carried over.
    ...(prev.files ? { files: prev.files } : {}),
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
