import * as fs from "node:fs";
import * as path from "node:path";
import { z } from "zod";
import { DEFAULT_LIMITS, type QoderClient, type Skill, type SkillUpdate } from "../../sdk";
import { BODY_LIMIT_TEXT } from "../body-limit";
import { idOf, metadataSchema, SKILL_NAME_RULE, skillName, sourceFile } from "../schemas";
import { sameFiles, skillZipFiles, zipDirectory, type SkillArchive } from "../skill-zip";
import { parseYaml, splitFrontmatter } from "../yaml-text";
import type { CheckProblem, FieldRules, Kind } from "./kind";

/**
 * Skill content travels as base64 inside a JSON update body, which must stay under the request
 * limit (the sdk's maxBodyBytes): a zip over this size could be created but never updated.
 */
export const MAX_SKILL_ZIP_BYTES = Math.floor(((DEFAULT_LIMITS.maxBodyBytes - 64 * 1024) * 3) / 4);

export const skillSchema = z
  .object({
    source: z.string().min(1),
    name: skillName.optional(),
    description: z.string().max(1024).optional(),
    metadata: metadataSchema,
    deletionPolicy: z.literal("delete", { message: 'skills cannot be archived: use "delete" or retainOnDelete' }).default("delete"),
    adoptId: idOf("skill").optional(),
    sourceFile,
  })
  .strict();

/** The program's inputs plus what check computes from the directory (enrich). */
export type SkillInputs = z.output<typeof skillSchema> & { contentSha256?: string; contentSize?: number; files?: string[]; fileHashes?: Record<string, string> };

/** As read back: the server's description may be null. */
type ReadInputs = Omit<SkillInputs, "description"> & { description?: string | null };

export type SkillState = Omit<SkillInputs, "name" | "description"> & {
  skillId: string;
  /** Server version: increments each time the content changes. */
  version: number;
  /** The server's, from SKILL.md's frontmatter when the program leaves them unset. */
  name: string;
  description?: string | null;
  createdAt: string;
  updatedAt?: string | null;
  /**
   * The service's digest of the content `contentSha256` stands for. They differ for an adopted
   * skill: the same files, zipped by someone else, are other bytes.
   */
  serverContentSha256?: string;
};

/** On adoption, the digest of this provider's zip of the same files as the live skill's. */
type LiveSkill = Skill & { sameContentAs?: string };

/**
 * The content's digest as this provider zips it: the service's own, unless the live content is
 * known to be the files `contentSha256` was computed from (adopted, and not changed since).
 */
function contentDigest(live: LiveSkill, prev: Partial<SkillInputs | SkillState>): string | undefined {
  if (live.sameContentAs) return live.sameContentAs;
  const known = "serverContentSha256" in prev ? prev : undefined;
  return known?.serverContentSha256 === live.content_sha256 && known?.contentSha256 ? known.contentSha256 : live.content_sha256;
}

/** The live skill, marked when its zip holds exactly the files of the program's directory. */
async function adoptRead(c: QoderClient, id: string, i: SkillInputs): Promise<LiveSkill> {
  const live = await c.skills.get(id, { includeContent: true });
  const { content: _content, content_encoding: _encoding, ...skill } = live;
  if (typeof live.content !== "string" || live.content_encoding !== "base64" || !i.files || live.content_sha256 === i.contentSha256) return skill;
  const unzipped = skillZipFiles(Buffer.from(live.content, "base64"));
  return "files" in unzipped && sameFiles(i.source, i.files, unzipped.files) ? { ...skill, sameContentAs: i.contentSha256 } : skill;
}

/**
 * The archives check built, by content hash, for create and update in the same process: a skill
 * is zipped once per operation and the bytes uploaded are the bytes whose hash preview showed.
 */
const archives = new Map<string, SkillArchive>();

function archive(source: string): SkillArchive {
  const a = zipDirectory(source, { bytes: MAX_SKILL_ZIP_BYTES, reason: `its base64 update body would exceed the ${BODY_LIMIT_TEXT} request limit` });
  archives.set(a.sha256, a);
  return a;
}

/** The zip whose hash check recorded; zipped again only in a fresh process, and then verified. */
function checkedArchive(i: SkillInputs): SkillArchive {
  const known = i.contentSha256 === undefined ? undefined : archives.get(i.contentSha256);
  if (known) return known;
  const a = archive(i.source);
  if (i.contentSha256 !== undefined && a.sha256 !== i.contentSha256) {
    throw new Error(`skill directory ${i.source} changed after it was checked (sha256 ${a.sha256}, checked ${i.contentSha256}): run the update again`);
  }
  return a;
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

const fields = {
  source: { ignore: true }, // the path is not the content: contentSha256 is
  contentSha256: {},
  contentSize: { ignore: true }, // comes with contentSha256
  name: { serverDefault: true }, // unset: the server takes SKILL.md's frontmatter
  description: { serverDefault: true },
  metadata: {},
  files: { ignore: true }, // shown in previews; a change always comes with a new contentSha256
  fileHashes: { ignore: true }, // per file, for reviews (qoder-plan); comes with contentSha256
} satisfies FieldRules<SkillInputs, SkillState>;

export const skillKind: Kind<SkillInputs, SkillState, LiveSkill, ReadInputs> = {
  name: "skill",
  title: "Skill",
  idOutput: "skillId",
  schema: skillSchema,
  fields,
  outputs: { skillId: true, version: true, createdAt: true, updatedAt: true, serverContentSha256: true },
  deletion: { default: "delete", canArchive: false },
  validate: (inputs) => skillManifest(inputs.source).problems,
  enrich: (inputs) => {
    const a = archive(inputs.source);
    return { ...inputs, contentSha256: a.sha256, contentSize: a.size, files: a.files, fileHashes: a.fileHashes };
  },

  create: (c, i, opts) =>
    c.skills.create(
      {
        file: checkedArchive(i).zip,
        filename: `${path.basename(path.resolve(i.source))}.zip`,
        ...(i.name ? { name: i.name } : {}),
        ...(i.description ? { description: i.description } : {}),
        metadata: i.metadata,
      },
      opts,
    ),
  get: (c, id) => c.skills.get(id),
  adoptRead,
  update: async (c, id, olds, news, changed) => {
    const body: SkillUpdate = {};
    const content = changed.includes("contentSha256");
    if (content) {
      body.content = checkedArchive(news).zip.toString("base64");
      body.content_encoding = "base64";
    }
    // The server fills name/description from new content's frontmatter when the body omits them,
    // so values the program sets travel with every upload or the upload would overwrite them.
    if (news.name && (content || changed.includes("name"))) body.name = news.name;
    if (news.description !== undefined && (content || changed.includes("description"))) body.description = news.description;
    if (changed.includes("metadata")) body.metadata = news.metadata; // skill metadata is replaced whole
    return skillKind.state(news, await c.skills.update(id, body), olds);
  },
  destroy: (c, id) => c.skills.delete(id),

  toInputs: (live, prev) => ({
    source: prev.source ?? "",
    name: live.name,
    description: live.description,
    metadata: live.metadata,
    contentSha256: contentDigest(live, prev),
    contentSize: live.content_size,
    // The API does not list a skill's files: the last upload's list is carried over.
    ...(prev.files ? { files: prev.files } : {}),
    ...(prev.fileHashes ? { fileHashes: prev.fileHashes } : {}),
    deletionPolicy: "delete",
    ...(prev.adoptId ? { adoptId: prev.adoptId } : {}),
  }),
  state: (inputs, live, prev) => ({
    ...inputs,
    skillId: live.id,
    version: Number(live.version),
    name: live.name,
    description: live.description,
    contentSha256: contentDigest(live, prev ?? {}),
    contentSize: live.content_size,
    serverContentSha256: live.content_sha256,
    createdAt: live.created_at,
    updatedAt: live.updated_at,
  }),
};
