import { createHash } from "node:crypto";
import { badRequest, invalidJson } from "../errors";
import { newId, nowIso } from "../ids";
import { nestsDeeperThan } from "../json-depth";
import { parseMultipart, type Part } from "../multipart";
import { paginate } from "../pagination";
import { created, ok, on, parseJson, type Ctx, type Route } from "../router";
import type { Skill, SkillVersion, State } from "../types";
import * as v from "../validate";
import { checkSkillName } from "../skill-name";
import { readSkillZip, type ZipLimits } from "../skill-zip";
import { find as findIn } from "./lifecycle";

/** `key: value` lines of a YAML frontmatter block (all this API reads from SKILL.md). */
function frontmatter(markdown: string): Record<string, string> {
  const m = /^\uFEFF?---\r?\n([\s\S]*?)\r?\n---\s*(?:\r?\n|$)/.exec(markdown);
  const out: Record<string, string> = {};
  for (const line of m?.[1].split(/\r?\n/) ?? []) {
    const kv = /^([A-Za-z0-9_-]+):\s*(.*?)\s*$/.exec(line);
    if (kv) out[kv[1]] = kv[2].replace(/^(["'])(.*)\1$/, "$2");
  }
  return out;
}

/** Checks the whole archive (entries, bounds, layout) and returns SKILL.md's frontmatter. */
function inspectZip(bytes: Buffer, param: string, limits: ZipLimits): Record<string, string> {
  const archive = readSkillZip(bytes, limits);
  if ("problem" in archive) throw badRequest(archive.problem, param);
  return frontmatter(archive.skillMd.toString("utf8"));
}

const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");

const find = (state: State, id: string): Skill => findIn(state.skills, id, "Skill");

function versionOf(skill: Skill): SkillVersion {
  const { version, id, content_size, content_sha256, updated_at } = skill;
  return { version: String(version), skill_id: id, status: "active", content_size, content_sha256, created_at: updated_at, updated_at };
}

function setContent(state: State, skill: Skill, bytes: Buffer): void {
  skill.content_size = bytes.length;
  skill.content_sha256 = sha256(bytes);
  state.skillContent[skill.id] = bytes.toString("base64");
}

function formText(parts: Part[], name: string): string | undefined {
  return parts.find((p) => p.name === name && p.filename === undefined)?.data.toString("utf8");
}

function createSkill(ctx: Ctx) {
  const parts = ctx.truncated ? undefined : parseMultipart(ctx.headers["content-type"], ctx.raw);
  if (!parts) throw badRequest("Invalid multipart form or request too large.");
  const file = parts.find((p) => p.name === "file");
  if (!file || file.filename === undefined) throw badRequest("Field 'file' is required.", "file");
  if (!file.filename.toLowerCase().endsWith(".zip")) throw badRequest("Only .zip files are accepted.", "file");
  const fm = inspectZip(file.data, "file", ctx.zipLimits);

  // Form fields win; the frontmatter fills in what the form omits.
  const name = formText(parts, "name") || fm.name;
  if (!name) throw badRequest("Missing required field: name (form field or SKILL.md frontmatter).", "name");
  let metadata: unknown;
  const rawMeta = formText(parts, "metadata");
  if (rawMeta) {
    try {
      if (nestsDeeperThan(rawMeta)) throw new Error("too deep");
      metadata = JSON.parse(rawMeta);
    } catch {
      throw badRequest("Field 'metadata' must be a JSON object string.", "metadata");
    }
  }
  const now = nowIso();
  const skill: Skill = {
    type: "skill",
    id: newId("skill"),
    name: checkSkillName(name),
    description: v.string(formText(parts, "description") || fm.description || "", "description", { max: 1024 }),
    skill_type: v.oneOf(formText(parts, "type") || "custom", ["custom", "prebuilt"], "type"),
    status: "active",
    version: 1,
    content_size: 0,
    content_sha256: "",
    metadata: v.metadata(metadata),
    created_at: now,
    updated_at: now,
  };
  setContent(ctx.state, skill, file.data);
  ctx.state.skills[skill.id] = skill;
  ctx.state.skillVersions[skill.id] = [versionOf(skill)];
  return created(skill);
}

/** Validates a whole update first and only then applies it: a refused update changes nothing. */
function updateSkill(ctx: Ctx) {
  const skill = find(ctx.state, ctx.params.id);
  if (/^multipart\//i.test(ctx.headers["content-type"] ?? "")) throw invalidJson();
  const body = parseJson(ctx.raw, ctx.truncated);
  let fm: Record<string, string> = {};
  let bytes: Buffer | undefined;
  if (v.has(body, "content")) {
    const content = v.string(body.content, "content");
    if (body.content_encoding !== undefined && body.content_encoding !== null) {
      v.oneOf(body.content_encoding, ["base64"], "content_encoding");
      bytes = Buffer.from(content, "base64");
      fm = inspectZip(bytes, "content", ctx.zipLimits);
    } else {
      bytes = Buffer.from(content, "utf8");
    }
  }
  const next: Skill = { ...skill, updated_at: nowIso() };
  const name = v.has(body, "name") ? body.name : fm.name;
  if (name !== undefined) next.name = checkSkillName(name);
  const description = v.has(body, "description") ? body.description : fm.description;
  if (description !== undefined) next.description = description === null ? "" : v.string(description, "description", { max: 1024 });
  if (v.has(body, "metadata")) next.metadata = v.metadata(body.metadata);

  if (bytes && sha256(bytes) !== skill.content_sha256) {
    setContent(ctx.state, next, bytes);
    next.version = skill.version + 1;
    ctx.state.skillVersions[skill.id].push(versionOf(next));
  }
  ctx.state.skills[skill.id] = next;
  return ok(next);
}

function getSkill(ctx: Ctx) {
  const skill = find(ctx.state, ctx.params.id);
  if (!["true", "1"].includes(ctx.query.get("include_content") ?? "")) return ok(skill);
  return ok({ ...skill, content: ctx.state.skillContent[skill.id], content_encoding: "base64" });
}

export const skillRoutes: Route[] = [
  ...on(["POST"], "/skills", createSkill),
  ...on(["GET"], "/skills", (ctx) => ok(paginate(Object.values(ctx.state.skills), ctx.query, { createdAt: (s) => s.created_at }))),
  ...on(["GET"], "/skills/{id}", getSkill),
  ...on(["PUT", "POST"], "/skills/{id}", updateSkill),
  ...on(["DELETE"], "/skills/{id}", (ctx) => {
    const { id } = find(ctx.state, ctx.params.id);
    delete ctx.state.skills[id];
    delete ctx.state.skillContent[id];
    delete ctx.state.skillVersions[id];
    return ok({ id, type: "skill_deleted" });
  }),
  ...on(["GET"], "/skills/{id}/versions", (ctx) => {
    find(ctx.state, ctx.params.id);
    return ok(paginate(ctx.state.skillVersions[ctx.params.id], ctx.query, { key: (s) => Number(s.version), intKeys: true }));
  }),
];
