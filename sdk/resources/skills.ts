import type { FormPart } from "../multipart";
import type { RequestOptions } from "../options";
import type { ListParams, Paginator } from "../pagination";
import {
  SkillSchema,
  SkillVersionListSchema,
  type Skill,
  type SkillCreate,
  type SkillUpdate,
  type SkillVersion,
} from "../schemas/skill";
import type { Transport } from "../transport";
import { Collection, path } from "./collection";

export class Skills {
  readonly #c: Collection<Skill>;
  readonly #t: Transport;

  constructor(t: Transport) {
    this.#t = t;
    this.#c = new Collection(t, SkillSchema);
  }

  /** Multipart upload of one zip (`file`), plus optional form fields; metadata travels as JSON text. */
  create(p: SkillCreate, o?: RequestOptions): Promise<Skill> {
    const form: FormPart[] = [{ name: "file", file: p.file, filename: p.filename ?? "skill.zip", contentType: "application/zip" }];
    for (const name of ["name", "description", "type"] as const) {
      const value = p[name];
      if (value !== undefined) form.push({ name, value });
    }
    if (p.metadata !== undefined) form.push({ name: "metadata", value: JSON.stringify(p.metadata) });
    return this.#c.create("/skills", { form }, o);
  }

  get(id: string, q?: { includeContent?: boolean }, o?: RequestOptions): Promise<Skill> {
    return this.#c.get(path("skills", id), { include_content: q?.includeContent || undefined }, o);
  }

  list(q?: ListParams, o?: RequestOptions): Paginator<Skill> {
    return this.#c.list("/skills", q, o);
  }

  /** JSON PUT; `version` increments only when `content` changes. */
  update(id: string, body: SkillUpdate, o?: RequestOptions): Promise<Skill> {
    return this.#c.update("PUT", path("skills", id), body, o);
  }

  delete(id: string, o?: RequestOptions): Promise<void> {
    return this.#c.delete(path("skills", id), o);
  }

  async listVersions(id: string, o?: RequestOptions): Promise<SkillVersion[]> {
    const res = await this.#t.json({ method: "GET", path: path("skills", id, "versions"), options: o }, SkillVersionListSchema);
    return res.data;
  }
}
