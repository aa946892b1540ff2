// What an export writes (files by Fleet-relative path, ids to adopt) and what it has to tell:
// objects it left out and why, fields no file carries, references to objects not exported,
// and the secret config keys to set.
import type { z } from "zod";
import { isArchived } from "../../sdk";
import { filePath } from "../../provider/fleet/keys";
import type { ExportKind } from "./layout";

export interface Finding {
  /** `agent "reviewer" (agent_…)` */
  subject: string;
  detail: string;
}

export interface SecretToSet {
  key: string;
  file: string;
  url: string;
}

export interface NameClashLine {
  kind: ExportKind;
  text: string;
}

export type Counted = ExportKind | "memories";

export class ExportPlan {
  readonly files = new Map<string, Buffer>();
  /** Fleet-relative path of the file (or skill folder) → the API id the first `up` adopts. */
  readonly ids = new Map<string, string>();
  readonly counts: Record<Counted, number> = { agents: 0, environments: 0, skills: 0, vaults: 0, "memory-stores": 0, memories: 0 };
  readonly clashes: NameClashLine[] = [];
  /** Left out on purpose (archived). */
  readonly skipped: Finding[] = [];
  /** Not written: a file cannot say it, so the first `up` would change the object. */
  readonly cannot: Finding[] = [];
  /** Written, with a caveat (fields the Fleet leaves alone, archived objects re-created...). */
  readonly notes: Finding[] = [];
  readonly secrets: SecretToSet[] = [];

  /** An archived object left out: `what` names its kind ("agent"). */
  skipArchived(who: string, what: string): void {
    this.skipped.push({ subject: who, detail: `archived (pass --include-archived to export it as a new ${what})` });
  }

  /** Records why an object is not written. */
  refuse(who: string, details: string[]): void {
    for (const detail of details) this.cannot.push({ subject: who, detail });
  }

  write(file: string, content: string | Buffer): void {
    this.files.set(file, typeof content === "string" ? Buffer.from(content, "utf8") : content);
  }
}

export const subject = (kind: string, name: string, id: string) => `${kind} ${JSON.stringify(name)} (${id})`;

/**
 * Why a kind's own schema refuses `value` (camelCase args), each issue at its path as written
 * in a Fleet file (`frontmatter.mcp_servers[0].url: …`); [] when it accepts it.
 */
export function schemaProblems(schema: z.ZodType, value: unknown, prefix = ""): string[] {
  const r = schema.safeParse(value);
  if (r.success) return [];
  return r.error.issues.flatMap((i) =>
    i.code === "unrecognized_keys" ? i.keys.map((k) => `${filePath(prefix, [...i.path, k])}: not a field a Fleet file can hold`) : [`${filePath(prefix, i.path) || prefix || "(object)"}: ${i.message}`],
  );
}

/** What every kind's exporter starts from: who the object is, whether it is archived, its file. */
export interface Placed {
  who: string;
  archived: boolean;
  key: string;
  file: string;
}

/**
 * Places one live object (its file name was chosen over every object of its kind), or records
 * it as skipped and returns undefined when it is archived and archived objects are left out.
 */
export function place(
  what: string,
  o: Parameters<typeof isArchived>[0] & { id: string },
  name: string,
  ctx: { keys: Map<string, string>; includeArchived: boolean },
  plan: ExportPlan,
  fileOf: (key: string) => string,
): Placed | undefined {
  const who = subject(what, name, o.id);
  const archived = isArchived(o);
  if (archived && !ctx.includeArchived) {
    plan.skipArchived(who, what);
    return undefined;
  }
  const key = ctx.keys.get(o.id)!;
  return { who, archived, key, file: fileOf(key) };
}
