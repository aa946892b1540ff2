import { createHash } from "node:crypto";
import { badRequest, conflict } from "../errors";
import { newId, nowIso } from "../ids";
import { paginate } from "../pagination";
import { created, noContent, on, ok, type Ctx, type Route } from "../router";
import type { Memory, MemoryStore, MemoryVersion, State } from "../types";
import * as v from "../validate";
import { checkMemoryPath } from "../memory-path";
import { archive, assertActive, checkVersion, find } from "./lifecycle";

const MAX_CONTENT = 102400;

const findStore = (state: State, id: string): MemoryStore => find(state.memoryStores, id, "MemoryStore");

function findMemory(state: State, storeId: string, id: string): Memory {
  findStore(state, storeId);
  return find(state.memories, id, "Memory", (m) => m.store_id === storeId);
}

function findVersion(state: State, storeId: string, id: string): MemoryVersion {
  findStore(state, storeId);
  return find(state.memoryVersions, id, "MemoryVersion", (x) => x.store_id === storeId);
}

const entriesOf = (state: State, storeId: string) => Object.values(state.memories).filter((m) => m.store_id === storeId);

/** entry_count/total_size are derived from the active entries, so they cannot drift. */
function storeView(state: State, store: MemoryStore) {
  const entries = entriesOf(state, store.id);
  return { ...store, entry_count: entries.length, total_size: entries.reduce((n, m) => n + m.size, 0) };
}

/** The body's `content` with the fields derived from it. */
function content(body: v.Json): Pick<Memory, "content" | "size" | "content_sha256"> {
  const text = v.string(v.required(body, "content"), "content");
  const size = Buffer.byteLength(text);
  if (size > MAX_CONTENT) throw badRequest(`Field 'content' must be at most ${MAX_CONTENT} bytes.`, "content");
  return { content: text, size, content_sha256: createHash("sha256").update(text).digest("hex") };
}

function recordVersion(state: State, mem: Memory, action: MemoryVersion["action"]): void {
  const deleted = action === "deleted";
  const ver: MemoryVersion = {
    type: "memory_version",
    id: newId("memver"),
    store_id: mem.store_id,
    entry_id: mem.id,
    entry_path: mem.path,
    action,
    ...(deleted ? {} : { content: mem.content }),
    size: deleted ? 0 : mem.size,
    content_sha256: deleted ? "" : mem.content_sha256,
    redacted: false,
    created_at: nowIso(),
  };
  state.memoryVersions[ver.id] = ver;
}

function createStore(ctx: Ctx) {
  const body = ctx.json();
  const now = nowIso();
  const store: MemoryStore = {
    type: "memory_store",
    id: newId("memstore"),
    name: v.string(v.required(body, "name"), "name", { min: 1, max: 255 }),
    description: description(body),
    status: "active",
    metadata: v.metadata(body.metadata),
    archived_at: null,
    created_at: now,
    updated_at: now,
  };
  ctx.state.memoryStores[store.id] = store;
  return created(storeView(ctx.state, store));
}

function description(body: v.Json): string {
  if (body.description === undefined || body.description === null || body.description === "") {
    throw badRequest("Field 'description' is required.", "description");
  }
  return v.string(body.description, "description", { max: 1024 });
}

function updateStore(ctx: Ctx) {
  const store = findStore(ctx.state, ctx.params.id);
  assertActive(store, "MemoryStore");
  const body = ctx.json();
  const next: MemoryStore = { ...store };
  if (v.has(body, "name")) next.name = v.string(body.name, "name", { min: 1, max: 255 });
  if (v.has(body, "description")) next.description = description(body);
  next.metadata = v.patchMetadata(store.metadata, body.metadata);
  next.updated_at = nowIso();
  ctx.state.memoryStores[store.id] = next;
  return ok(storeView(ctx.state, next));
}

function deleteStore(ctx: Ctx) {
  const store = findStore(ctx.state, ctx.params.id);
  for (const m of entriesOf(ctx.state, store.id)) delete ctx.state.memories[m.id];
  for (const ver of Object.values(ctx.state.memoryVersions)) if (ver.store_id === store.id) delete ctx.state.memoryVersions[ver.id];
  delete ctx.state.memoryStores[store.id];
  return noContent();
}

function listStores(ctx: Ctx) {
  const prefix = ctx.query.get("name")?.toLowerCase() ?? "";
  const stores = Object.values(ctx.state.memoryStores).filter((s) => s.name.toLowerCase().startsWith(prefix));
  return ok(paginate(stores, ctx.query, { archived: (s) => s.status === "archived", createdAt: (s) => s.created_at }, (s) => storeView(ctx.state, s)));
}

function createMemory(ctx: Ctx) {
  const store = findStore(ctx.state, ctx.params.id);
  assertActive(store, "MemoryStore");
  const body = ctx.json();
  const path = checkMemoryPath(v.required(body, "path"));
  const fields = content(body);
  const clash = entriesOf(ctx.state, store.id).find((m) => m.path === path);
  if (clash) throw conflict(`A memory already exists at path '${path}' (${clash.id}).`);
  const now = nowIso();
  const mem: Memory = {
    type: "memory",
    id: newId("mem"),
    store_id: store.id,
    path,
    ...fields,
    version: 1,
    metadata: v.metadata(body.metadata),
    created_at: now,
    updated_at: now,
  };
  ctx.state.memories[mem.id] = mem;
  recordVersion(ctx.state, mem, "created");
  return created(mem);
}

/** The entry named by the path, when its store still takes writes. */
function writableMemory(ctx: Ctx): Memory {
  assertActive(findStore(ctx.state, ctx.params.id), "MemoryStore");
  return findMemory(ctx.state, ctx.params.id, ctx.params.memory_id);
}

function updateMemory(ctx: Ctx) {
  const mem = writableMemory(ctx);
  const body = ctx.json();
  // A path in an update is held to the create rule first: a hostile one is refused as such.
  if (body.path !== undefined && checkMemoryPath(body.path) !== mem.path) throw badRequest("Field 'path' cannot be changed.", "path");
  const fields = content(body);
  checkVersion(body, mem.version, false);
  const next: Memory = {
    ...mem,
    ...fields,
    version: mem.version + 1,
    metadata: v.patchMetadata(mem.metadata, body.metadata),
    updated_at: nowIso(),
  };
  ctx.state.memories[mem.id] = next;
  recordVersion(ctx.state, next, "updated");
  return ok(next);
}

function deleteMemory(ctx: Ctx) {
  const mem = writableMemory(ctx);
  delete ctx.state.memories[mem.id];
  recordVersion(ctx.state, mem, "deleted");
  return noContent();
}

function listMemories(ctx: Ctx) {
  const prefix = ctx.query.get("path_prefix") ?? "";
  const entries = entriesOf(ctx.state, findStore(ctx.state, ctx.params.id).id).filter((m) => m.path.startsWith(prefix));
  return ok(paginate(entries, ctx.query, { createdAt: (m) => m.created_at }, ({ content: _content, ...rest }) => rest));
}

function listVersions(ctx: Ctx) {
  const entry = ctx.query.get("entry_id") ?? ctx.query.get("memory_id");
  const versions = Object.values(ctx.state.memoryVersions).filter((x) => x.store_id === findStore(ctx.state, ctx.params.id).id && (!entry || x.entry_id === entry));
  return ok(paginate(versions, ctx.query, { createdAt: (x) => x.created_at }, ({ content: _content, ...rest }) => rest));
}

/** Irreversible; size and content_sha256 are kept. Redacting again returns the version unchanged. */
function redact(ctx: Ctx) {
  const ver = findVersion(ctx.state, ctx.params.id, ctx.params.version_id);
  if (!ver.redacted) {
    delete ver.content;
    ver.redacted = true;
    ver.redacted_at = nowIso();
  }
  return ok(ver);
}

// Qoder documents `/versions`; the SDK (Anthropic-shaped) uses `/memory_versions`: serve both.
const versionRoutes = (segment: string): Route[] => [
  ...on(["GET"], `/memory_stores/{id}/${segment}`, listVersions),
  ...on(["GET"], `/memory_stores/{id}/${segment}/{version_id}`, (ctx) => ok(findVersion(ctx.state, ctx.params.id, ctx.params.version_id))),
  ...on(["POST"], `/memory_stores/{id}/${segment}/{version_id}/redact`, redact),
];

export const memoryRoutes: Route[] = [
  ...on(["POST"], "/memory_stores", createStore),
  ...on(["GET"], "/memory_stores", listStores),
  ...on(["GET"], "/memory_stores/{id}", (ctx) => ok(storeView(ctx.state, findStore(ctx.state, ctx.params.id)))),
  ...on(["PUT", "POST"], "/memory_stores/{id}", updateStore),
  ...on(["DELETE"], "/memory_stores/{id}", deleteStore),
  ...on(["POST"], "/memory_stores/{id}/archive", (ctx) => ok(storeView(ctx.state, archive(findStore(ctx.state, ctx.params.id), "MemoryStore")))),
  ...on(["POST"], "/memory_stores/{id}/memories", createMemory),
  ...on(["GET"], "/memory_stores/{id}/memories", listMemories),
  ...on(["GET"], "/memory_stores/{id}/memories/{memory_id}", (ctx) => ok(findMemory(ctx.state, ctx.params.id, ctx.params.memory_id))),
  ...on(["PUT", "POST", "PATCH"], "/memory_stores/{id}/memories/{memory_id}", updateMemory),
  ...on(["DELETE"], "/memory_stores/{id}/memories/{memory_id}", deleteMemory),
  ...versionRoutes("versions"),
  ...versionRoutes("memory_versions"),
];
