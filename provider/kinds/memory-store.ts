import { z } from "zod";
import { archivingDeletion, idOf, metadataSchema } from "../schemas";
import type { Inputs, Kind, Outputs } from "./kind";
import { metadataPatch } from "./update-body";

const schema = z
  .object({
    name: z.string().min(1).max(255),
    // The newest docs make description required and non-empty: it is injected into the
    // system prompt of agents the store is attached to.
    description: z.string().min(1, "a memory store needs a non-empty description").max(1024),
    metadata: metadataSchema,
    deletionPolicy: archivingDeletion,
    adoptId: idOf("memstore").optional(),
  })
  .strict();

export const memoryStoreKind: Kind = {
  name: "memoryStore",
  title: "MemoryStore",
  idOutput: "memoryStoreId",
  schema: schema as unknown as z.ZodType<Inputs>,
  fields: { name: {}, description: {}, metadata: {} },
  deletion: { default: "archive", canArchive: true },

  create: (c, i, opts) => c.memoryStores.create({ name: i.name, description: i.description, metadata: i.metadata }, opts),
  get: (c, id) => c.memoryStores.get(id),
  update: (c, id, olds, news, changed) => {
    const body: Record<string, unknown> = {};
    if (changed.includes("name")) body.name = news.name;
    if (changed.includes("description")) body.description = news.description;
    if (changed.includes("metadata")) body.metadata = metadataPatch(olds.metadata, news.metadata);
    return c.memoryStores.update(id, body as any);
  },
  archive: (c, id) => c.memoryStores.archive(id),
  destroy: (c, id) => c.memoryStores.delete(id),

  toInputs: (live: any, prev: Outputs) => ({
    name: live.name,
    description: live.description ?? "",
    metadata: live.metadata ?? {},
    deletionPolicy: prev.deletionPolicy ?? "archive",
    ...(prev.adoptId ? { adoptId: prev.adoptId } : {}),
  }),
  computed: (live: any) => ({
    memoryStoreId: live.id,
    status: live.status ?? "active",
    archived: live.status === "archived" || !!live.archived_at,
    entryCount: live.entry_count ?? 0,
    totalSize: live.total_size ?? 0,
    createdAt: live.created_at,
    updatedAt: live.updated_at,
  }),
  isArchived: (live: any) => live.status === "archived" || !!live.archived_at,
};
