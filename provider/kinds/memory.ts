import { z } from "zod";
import type { Memory } from "../../sdk";
import { idOf, memoryPath, metadataSchema, sourceFile } from "../schemas";
import type { FieldRules, Kind } from "./kind";

/** The contract's entry content limit (qoder-api.md §6.3). */
export const MAX_MEMORY_CONTENT_BYTES = 102_400;

export const memorySchema = z
  .object({
    storeId: idOf("memstore"),
    path: memoryPath,
    content: z.string().refine((s) => Buffer.byteLength(s, "utf8") <= MAX_MEMORY_CONTENT_BYTES, {
      message: `must be at most ${MAX_MEMORY_CONTENT_BYTES} bytes`,
    }),
    metadata: metadataSchema,
    deletionPolicy: z.literal("delete", { message: 'memories cannot be archived: use "delete" or retainOnDelete' }).default("delete"),
    adoptId: idOf("mem").optional(),
    sourceFile,
  })
  .strict();

export type MemoryInputs = z.output<typeof memorySchema>;
export type MemoryState = MemoryInputs & {
  memoryId: string;
  version: number;
  contentSha256?: string;
  size?: number;
  createdAt: string;
  updatedAt?: string | null;
};

// Moving a memory to another store or path is a new memory: the API cannot rename.
const fields = { storeId: { replace: true }, path: { replace: true }, content: {}, metadata: { replace: true } } satisfies FieldRules<MemoryInputs, MemoryState>;

function state(inputs: MemoryInputs, live: Memory): MemoryState {
  return {
    ...inputs,
    memoryId: live.id,
    version: live.version,
    contentSha256: live.content_sha256,
    size: live.size,
    createdAt: live.created_at,
    updatedAt: live.updated_at,
  };
}

export const memoryKind: Kind<MemoryInputs, MemoryState, Memory> = {
  name: "memory",
  title: "Memory",
  idOutput: "memoryId",
  schema: memorySchema,
  fields,
  outputs: { memoryId: true, version: true, contentSha256: true, size: true, createdAt: true, updatedAt: true },
  deletion: { default: "delete", canArchive: false },
  deleteBeforeReplace: true, // a path is unique within its store
  lockKey: (_id, props) => `memstore:${props.storeId}`,

  create: (c, i, opts) => c.memoryStores.memories.create(i.storeId, { path: i.path, content: i.content, metadata: i.metadata }, opts),
  get: (c, id, parent) => c.memoryStores.memories.get(parent.storeId, id),
  // The entry's version is the optimistic-concurrency token: a runtime rewrite by an agent
  // since the last refresh answers 409 instead of being overwritten silently.
  update: async (c, id, olds, news) => state(news, await c.memoryStores.memories.update(olds.storeId, id, { content: news.content, version: olds.version })),
  destroy: (c, id, props) => c.memoryStores.memories.delete(props.storeId, id),

  toInputs: (live, prev) => ({
    storeId: live.store_id ?? prev.storeId ?? "",
    path: live.path,
    content: live.content ?? "",
    metadata: live.metadata,
    deletionPolicy: "delete",
    ...(prev.adoptId ? { adoptId: prev.adoptId } : {}),
  }),
  state,
};
