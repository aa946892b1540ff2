import { z } from "zod";

/** Metadata as returned: a flat string map, `{}` when the server omits it. */
export const MetadataSchema = z.record(z.string(), z.string());
export const ResponseMetadata = MetadataSchema.optional().default({});

/** A metadata patch on update: a string upserts a key, `null` deletes it. */
export type MetadataPatch = Record<string, string | null>;

/** `id` is the only field every response object must have; `type` names the object kind. */
export const identity = { id: z.string(), type: z.string().optional() };

export const Timestamp = z.string();
export const NullableTimestamp = z.string().nullable().optional();

/** Fields every archivable resource may carry; each doc generation shows a different subset. */
export const archivable = {
  archived: z.boolean().optional(),
  archived_at: NullableTimestamp,
  status: z.string().optional(),
};

/**
 * Is this object archived, whichever of the three fields the server sent? An explicit
 * `archived: false` wins over a stray `archived_at`; otherwise a timestamp or the status says so.
 */
export function isArchived(o: { archived?: boolean | null; archived_at?: string | null; status?: string | null }): boolean {
  if (o.archived === true || o.status === "archived") return true;
  return o.archived !== false && !!o.archived_at;
}

export const timestamps = { created_at: Timestamp, updated_at: Timestamp };

/** Lenient numeric field: some doc generations send integers as strings. */
export const IntLike = z.union([z.number(), z.string()]);

/** Optional string that the server may send as null or omit. */
export const OptString = z.string().nullable().optional();

/** The list envelope; `first_id`/`last_id` may be version numbers on version lists. */
function makePageSchema<T extends z.ZodType>(item: T) {
  const cursor = z
    .union([z.string(), z.number()])
    .nullable()
    .optional()
    .transform((v) => (v === undefined || v === null ? null : String(v)));
  return z.looseObject({
    data: z.array(item),
    first_id: cursor,
    last_id: cursor,
    has_more: z.boolean().optional().default(false),
  });
}

// One envelope per item schema: every client's collections share it instead of rebuilding it.
const pages = new WeakMap<z.ZodType, ReturnType<typeof makePageSchema>>();

export function pageSchema<T extends z.ZodType>(item: T): ReturnType<typeof makePageSchema<T>> {
  let page = pages.get(item);
  if (!page) pages.set(item, (page = makePageSchema(item)));
  return page as ReturnType<typeof makePageSchema<T>>;
}
