import type { RequestOptions } from "../options";
import type { ListParams } from "../pagination";
import {
  MemorySchema,
  MemoryStoreSchema,
  type Memory,
  type MemoryCreate,
  type MemoryStore,
  type MemoryStoreCreate,
  type MemoryStoreUpdate,
  type MemoryUpdate,
} from "../schemas/memory";
import type { Transport } from "../transport";
import { NestedResource, TopLevelResource, path } from "./collection";

/** `name` is a case-insensitive prefix search. */
export type MemoryStoreListParams = ListParams & { name?: string };
export type MemoryListParams = ListParams & { path_prefix?: string };

/** Entries (`mem_…`) addressed by relative path; list items come without `content`. */
export class Memories extends NestedResource<Memory, MemoryCreate, MemoryListParams> {
  constructor(t: Transport) {
    super(t, "memory_stores", "memories", MemorySchema);
  }

  /** PUT with the entry's current `version` (OCC); `path` cannot change. */
  update(storeId: string, memId: string, body: MemoryUpdate, o?: RequestOptions): Promise<Memory> {
    return this.c.update("PUT", this.at(storeId, memId), body, o);
  }
}

/** Deleting a store deletes its entries and their version history. */
export class MemoryStores extends TopLevelResource<MemoryStore, MemoryStoreCreate, MemoryStoreListParams> {
  readonly memories: Memories;

  constructor(t: Transport) {
    super(t, "memory_stores", MemoryStoreSchema);
    this.memories = new Memories(t);
  }

  /** POST (the only documented update form for stores); metadata is a patch, `null` deletes a key. */
  update(id: string, body: MemoryStoreUpdate, o?: RequestOptions): Promise<MemoryStore> {
    return this.c.update("POST", path(this.base, id), body, o);
  }
}
