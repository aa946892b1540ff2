import { z } from "zod";
import { isArchived, type MemoryStore, type MemoryStoreUpdate } from "../../sdk";
import { archivingDeletion, idOf, metadataSchema, sourceFile } from "../schemas";
import type { FieldRules, Kind } from "./kind";
import { updateBody } from "./update-body";

export const memoryStoreSchema = z
  .object({
    name: z.string().min(1).max(255),
    // The newest docs make description required and non-empty: it is injected into the
    // system prompt of agents the store is attached to.
    description: z.string().min(1, "a memory store needs a non-empty description").max(1024),
    metadata: metadataSchema,
    deletionPolicy: archivingDeletion,
    adoptId: idOf("memstore").optional(),
    sourceFile,
  })
  .strict();

export type MemoryStoreInputs = z.output<typeof memoryStoreSchema>;
export type MemoryStoreState = MemoryStoreInputs & {
  memoryStoreId: string;
  status: string;
  archived: boolean;
  entryCount: number;
  totalSize: number;
  createdAt: string;
  updatedAt: string;
};

const fields = { name: {}, description: {}, metadata: {} } satisfies FieldRules<MemoryStoreInputs, MemoryStoreState>;

function state(inputs: MemoryStoreInputs, live: MemoryStore): MemoryStoreState {
  return {
    ...inputs,
    memoryStoreId: live.id,
    status: live.status ?? "active",
    archived: isArchived(live),
    entryCount: live.entry_count ?? 0,
    totalSize: live.total_size ?? 0,
    createdAt: live.created_at,
    updatedAt: live.updated_at,
  };
}

export const memoryStoreKind: Kind<MemoryStoreInputs, MemoryStoreState, MemoryStore> = {
  name: "memoryStore",
  title: "MemoryStore",
  idOutput: "memoryStoreId",
  schema: memoryStoreSchema,
  fields,
  outputs: { memoryStoreId: true, status: true, archived: true, entryCount: true, totalSize: true, createdAt: true, updatedAt: true },
  deletion: { default: "archive", canArchive: true },

  create: (c, i, opts) => c.memoryStores.create({ name: i.name, description: i.description, metadata: i.metadata }, opts),
  get: (c, id) => c.memoryStores.get(id),
  update: async (c, id, olds, news, changed) => state(news, await c.memoryStores.update(id, updateBody(fields, olds, news, changed) as MemoryStoreUpdate)),
  archive: (c, id) => c.memoryStores.archive(id),
  destroy: (c, id) => c.memoryStores.delete(id),

  toInputs: (live, prev) => ({
    name: live.name,
    description: live.description ?? "",
    metadata: live.metadata,
    deletionPolicy: prev.deletionPolicy ?? "archive",
    ...(prev.adoptId ? { adoptId: prev.adoptId } : {}),
  }),
  state,
  isArchived,
};
