import { badRequest, conflict, notFound } from "../errors";
import { notifySession, openEventStream } from "../event-stream";
import { newId, nowIso } from "../ids";
import { paginate } from "../pagination";
import { created, on, ok, type Ctx, type Reply, type Route } from "../router";
import { cancelTurn, newRuntime, receiveEvents } from "../runtime";
import type { Session, SessionEvent, SessionResource } from "../session-types";
import type { Agent, State } from "../types";
import * as v from "../validate";
import { find as findIn } from "./lifecycle";

const find = (state: State, id: string): Session => findIn(state.sessions, id, "Session");
const own = <T>(map: Record<string, T>, id: string): T | undefined => (Object.hasOwn(map, id) ? map[id] : undefined);

/** Environments that a session (archived or not) still references cannot be deleted [Q-skill]. */
export function assertEnvironmentUnused(state: State, environmentId: string): void {
  const user = Object.values(state.sessions).find((s) => s.environment_id === environmentId);
  if (user) throw conflict(`Environment '${environmentId}' is used by session '${user.id}'; archive the environment instead, or delete the session first.`);
}

/** `agent`: an id (its latest version) or `{type:"agent", id, version}` (pinned); legacy `agent_id`. */
function agentSnapshot(state: State, body: v.Json): Omit<Agent, "archived"> {
  const ref = body.agent ?? body.agent_id;
  if (ref === undefined || ref === null) throw badRequest("Missing required field: agent", "agent");
  let id: string;
  let version: number | undefined;
  let param = v.has(body, "agent") ? "agent" : "agent_id";
  if (typeof ref === "string") id = ref;
  else {
    const obj = v.object(ref, "agent");
    if (obj.type !== undefined) v.oneOf(obj.type, ["agent"], "agent.type");
    id = v.string(v.required(obj, "id", "agent.id"), "agent.id", { min: 1 });
    param = "agent.id";
    if (obj.version !== undefined && obj.version !== null) {
      if (typeof obj.version !== "number" || !Number.isInteger(obj.version) || obj.version < 1) throw badRequest("agent.version must be a positive integer.", "agent.version");
      version = obj.version;
    }
  }
  const agent = own(state.agents, id);
  if (!agent) throw badRequest(`Agent '${id}' was not found.`, param);
  if (agent.archived) throw conflict(`Agent '${id}' is archived and cannot start a session.`);
  const versions = state.agentVersions[id] ?? [];
  const snap = version === undefined ? versions.at(-1) : versions[version - 1];
  if (!snap) throw badRequest(`Agent '${id}' has no version ${version}.`, "agent.version");
  return structuredClone(snap);
}

function environmentId(state: State, body: v.Json): string {
  const id = v.string(v.required(body, "environment_id"), "environment_id", { min: 1 });
  const env = own(state.environments, id);
  if (!env) throw badRequest(`Environment '${id}' was not found.`, "environment_id");
  if (env.status === "archived") throw conflict(`Environment '${id}' is archived and cannot host new sessions.`);
  return id;
}

const RESERVED_VARIABLES = ["SERVER_ENDPOINT", "USER_ID", "WORK_DIR"];
const RESERVED_PREFIXES = ["CAW_", "QODER_"];

/** `"K=V;K2=V2"` [Q-skill] → `{K: "V", K2: "V2"}`, with the documented name rules. */
function environmentVariables(value: unknown): Record<string, string> {
  const param = "environment_variables";
  if (value === undefined || value === null) return {};
  if (typeof value !== "string") throw badRequest('environment_variables must be a string such as "NAME=value;OTHER=value".', param);
  const out: Record<string, string> = {};
  for (const pair of value.split(";")) {
    if (pair.trim() === "") continue;
    const eq = pair.indexOf("=");
    const name = (eq < 0 ? pair : pair.slice(0, eq)).trim();
    if (eq < 0) throw badRequest(`'${name}' is not NAME=value.`, param);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw badRequest(`Environment variable name '${name}' must match [A-Za-z_][A-Za-z0-9_]*.`, param);
    if (RESERVED_VARIABLES.includes(name)) throw badRequest(`Environment variable '${name}' is reserved.`, param);
    if (RESERVED_PREFIXES.some((p) => name.startsWith(p))) throw badRequest(`Environment variable names may not start with ${RESERVED_PREFIXES.join(" or ")} ('${name}').`, param);
    if (Object.hasOwn(out, name)) throw badRequest(`Environment variable '${name}' is set twice.`, param);
    out[name] = pair.slice(eq + 1);
  }
  return out;
}

function mountPath(r: v.Json, param: string, fallback: string): string {
  if (r.mount_path === undefined || r.mount_path === null) return fallback;
  const p = v.string(r.mount_path, `${param}.mount_path`, { min: 1, max: 1024 });
  if (!p.startsWith("/")) throw badRequest("mount_path must be an absolute path.", `${param}.mount_path`);
  return p;
}

/** One session resource: a file, a GitHub repository (its token is write-only and dropped) or a memory store. */
function parseResource(state: State, raw: unknown, param: string): SessionResource {
  const r = v.object(raw, param);
  const type = v.oneOf(r.type, ["file", "github_repository", "memory_store"], `${param}.type`);
  const now = nowIso();
  const base = { id: newId("sesrsc"), created_at: now, updated_at: now };
  if (type === "file") {
    const fileId = v.string(v.required(r, "file_id", `${param}.file_id`), `${param}.file_id`, { min: 1 });
    if (!own(state.files, fileId)) throw badRequest(`File '${fileId}' was not found.`, `${param}.file_id`);
    return { ...base, type, file_id: fileId, mount_path: mountPath(r, param, `/mnt/session/uploads/${fileId}`) };
  }
  if (type === "github_repository") {
    const url = v.string(v.required(r, "url", `${param}.url`), `${param}.url`, { min: 1 });
    if (!/^https?:\/\/[^\s/]+\/\S+/i.test(url)) throw badRequest("url must be an http(s) repository URL.", `${param}.url`);
    if (r.authorization_token !== undefined && r.authorization_token !== null) v.string(r.authorization_token, `${param}.authorization_token`);
    const repo = url.replace(/\.git$/, "").split("/").filter(Boolean).pop() ?? "repo";
    return {
      ...base,
      type,
      url,
      mount_path: mountPath(r, param, `/workspace/${repo}`),
      ...(r.checkout !== undefined ? { checkout: v.object(r.checkout, `${param}.checkout`) } : {}),
    };
  }
  const storeId = v.string(v.required(r, "memory_store_id", `${param}.memory_store_id`), `${param}.memory_store_id`, { min: 1 });
  const store = own(state.memoryStores, storeId);
  if (!store) throw badRequest(`MemoryStore '${storeId}' was not found.`, `${param}.memory_store_id`);
  if (store.status === "archived") throw conflict(`MemoryStore '${storeId}' is archived.`);
  return {
    ...base,
    type,
    memory_store_id: storeId,
    access: r.access === undefined ? "read_write" : v.oneOf(r.access, ["read_only", "read_write"], `${param}.access`),
    ...(r.instructions !== undefined && r.instructions !== null ? { instructions: v.string(r.instructions, `${param}.instructions`, { max: 4096 }) } : {}),
    mount_path: `/mnt/memory/${store.name}`,
  };
}

function vaultIds(state: State, value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return v.stringArray(value, "vault_ids").map((id, i) => {
    const vault = own(state.vaults, id);
    if (!vault) throw badRequest(`Vault '${id}' was not found.`, `vault_ids[${i}]`);
    if (vault.status === "archived") throw conflict(`Vault '${id}' is archived.`);
    return id;
  });
}

function createSession(ctx: Ctx) {
  const body = ctx.json();
  const agent = agentSnapshot(ctx.state, body);
  const environment_id = environmentId(ctx.state, body);
  const resources = (body.resources == null ? [] : v.array(body.resources, "resources")).map((r, i) => parseResource(ctx.state, r, `resources[${i}]`));
  // Older generation [Q-cli]: memory stores as a bare id list.
  if (body.memory_store_ids != null) {
    v.stringArray(body.memory_store_ids, "memory_store_ids").forEach((id, i) =>
      resources.push(parseResource(ctx.state, { type: "memory_store", memory_store_id: id }, `memory_store_ids[${i}]`)),
    );
  }
  if (body.delta_flush_interval_ms != null) {
    const ms = body.delta_flush_interval_ms;
    if (typeof ms !== "number" || !Number.isInteger(ms) || ms < 50 || ms > 5000) throw badRequest("delta_flush_interval_ms must be an integer from 50 to 5000.", "delta_flush_interval_ms");
  }
  const now = nowIso();
  const session: Session = {
    type: "session",
    id: newId("sess"),
    agent,
    agent_id: agent.id,
    environment_id,
    title: body.title == null ? "" : v.string(body.title, "title"),
    status: "idle",
    metadata: v.metadata(body.metadata),
    resources,
    vault_ids: vaultIds(ctx.state, body.vault_ids),
    environment_variables: environmentVariables(body.environment_variables),
    usage: { total_credits: 0 },
    archived_at: null,
    created_at: now,
    updated_at: now,
  };
  ctx.state.sessions[session.id] = session;
  ctx.state.sessionEvents[session.id] = [];
  ctx.state.sessionRuntime[session.id] = newRuntime();
  return created(session);
}

function listSessions(ctx: Ctx) {
  const agentId = ctx.query.get("agent_id");
  const sessions = Object.values(ctx.state.sessions).filter((s) => agentId === null || s.agent.id === agentId);
  return ok(paginate(sessions, ctx.query, { archived: (s) => s.archived_at !== null, createdAt: (s) => s.created_at }));
}

function updateSession(ctx: Ctx) {
  const session = find(ctx.state, ctx.params.id);
  if (session.archived_at) throw conflict(`Session '${session.id}' is archived.`);
  const body = ctx.json();
  if (v.has(body, "title")) session.title = body.title === null ? "" : v.string(body.title, "title");
  session.metadata = v.patchMetadata(session.metadata, body.metadata);
  session.updated_at = nowIso();
  return ok(session);
}

/** Hidden from default lists; the status stays as it was [Q-new]. No unarchive. */
function archiveSession(ctx: Ctx) {
  const session = find(ctx.state, ctx.params.id);
  if (session.archived_at) throw conflict(`Session '${session.id}' is already archived.`);
  session.archived_at = session.updated_at = nowIso();
  return ok(session);
}

function deleteSession(ctx: Ctx) {
  const { id } = find(ctx.state, ctx.params.id);
  delete ctx.state.sessions[id];
  delete ctx.state.sessionEvents[id];
  delete ctx.state.sessionRuntime[id];
  notifySession(ctx.db, id); // open streams end
  return ok({ id, type: "session_deleted" });
}

function cancelSession(ctx: Ctx) {
  const session = find(ctx.state, ctx.params.id);
  cancelTurn(ctx.state, session);
  notifySession(ctx.db, session.id);
  return ok(session);
}

const CLIENT_EVENTS = ["user.message", "user.interrupt", "user.tool_confirmation", "user.tool_result", "user.custom_tool_result", "user.define_outcome", "system.message"];

function contentBlocks(value: unknown, param: string, required: boolean): void {
  if (value === undefined && !required) return;
  if (!Array.isArray(value) || (required && value.length === 0)) {
    throw badRequest(`${param} must be a non-empty array of content blocks such as [{"type":"text","text":"…"}].`, param);
  }
  value.forEach((b, i) => {
    const block = v.object(b, `${param}[${i}]`);
    const type = v.string(v.required(block, "type", `${param}[${i}].type`), `${param}[${i}].type`, { min: 1 });
    if (type === "text") v.string(v.required(block, "text", `${param}[${i}].text`), `${param}[${i}].text`);
  });
}

/** The shape of `{"events":[…]}`; rules that depend on the session's state are the runtime's. */
function parseEvents(body: v.Json): v.Json[] {
  const events = v.array(v.required(body, "events"), "events").map((e, i) => v.object(e, `events[${i}]`));
  if (events.length === 0) throw badRequest("events must not be empty.", "events");
  events.forEach((e, i) => {
    const p = `events[${i}]`;
    const type = v.oneOf(e.type, CLIENT_EVENTS, `${p}.type`);
    const id = (key: string) => v.string(v.required(e, key, `${p}.${key}`), `${p}.${key}`, { min: 1 });
    switch (type) {
      case "user.message":
      case "system.message":
        contentBlocks(e.content, `${p}.content`, true);
        if (type === "system.message" && i !== events.length - 1) throw badRequest("system.message must be the last event, and there can be only one.", `${p}.type`);
        break;
      case "user.tool_confirmation":
        id("tool_use_id");
        v.oneOf(v.required(e, "result", `${p}.result`), ["allow", "deny"], `${p}.result`);
        if (e.deny_message !== undefined) v.string(e.deny_message, `${p}.deny_message`);
        break;
      case "user.tool_result":
      case "user.custom_tool_result":
        id(type === "user.tool_result" ? "tool_use_id" : "custom_tool_use_id");
        contentBlocks(e.content, `${p}.content`, false);
        if (e.is_error !== undefined && typeof e.is_error !== "boolean") throw badRequest("is_error must be a boolean.", `${p}.is_error`);
        break;
    }
  });
  return events;
}

function sendEvents(ctx: Ctx) {
  const session = find(ctx.state, ctx.params.id);
  const accepted = receiveEvents(ctx.state, session, parseEvents(ctx.json()));
  notifySession(ctx.db, session.id);
  return ok({ data: accepted });
}

/** `types[]=a&types[]=b`, `types=a&types=b` or `types=a,b`. */
function typesFilter(query: URLSearchParams): Set<string> | undefined {
  const raw = [...query.getAll("types[]"), ...query.getAll("types")].flatMap((t) => t.split(",")).map((t) => t.trim()).filter(Boolean);
  return raw.length ? new Set(raw) : undefined;
}

function listEvents(ctx: Ctx) {
  const session = find(ctx.state, ctx.params.id);
  const types = typesFilter(ctx.query);
  const events = (ctx.state.sessionEvents[session.id] ?? []).filter((e) => !types || types.has(e.type));
  // Events are chronological by default [Q-SDK]; `order=desc` reverses.
  return ok(paginate<SessionEvent>(events, ctx.query, { createdAt: (e) => e.created_at, defaultOrder: "asc" }));
}

/** SSE. No Last-Event-ID: only events after the newest one so far. With it: everything after that event. */
function streamEvents(ctx: Ctx): Reply {
  const session = find(ctx.state, ctx.params.id);
  const header = ctx.headers["last-event-id"];
  const lastId = typeof header === "string" && header.trim() !== "" ? header.trim() : undefined;
  const log = ctx.state.sessionEvents[session.id] ?? [];
  if (lastId !== undefined && !log.some((e) => e.id === lastId)) {
    throw badRequest(`Last-Event-ID '${lastId}' is not an event of session '${session.id}'.`, "Last-Event-ID");
  }
  const after = lastId ?? log.at(-1)?.id;
  const { db } = ctx;
  return { status: 200, stream: (res, faults) => openEventStream(db, session.id, after, res, faults) };
}

function findResource(state: State, sessionId: string, resourceId: string): { session: Session; resource: SessionResource } {
  const session = find(state, sessionId);
  const resource = session.resources.find((r) => r.id === resourceId);
  if (!resource) throw notFound("SessionResource", resourceId);
  return { session, resource };
}

export const sessionRoutes: Route[] = [
  ...on(["POST"], "/sessions", createSession),
  ...on(["GET"], "/sessions", listSessions),
  ...on(["GET"], "/sessions/{id}", (ctx) => ok(find(ctx.state, ctx.params.id))),
  ...on(["POST", "PUT"], "/sessions/{id}", updateSession),
  ...on(["DELETE"], "/sessions/{id}", deleteSession),
  ...on(["POST"], "/sessions/{id}/archive", archiveSession),
  ...on(["POST"], "/sessions/{id}/cancel", cancelSession),
  ...on(["POST"], "/sessions/{id}/events", sendEvents),
  ...on(["GET"], "/sessions/{id}/events", listEvents),
  ...on(["GET"], "/sessions/{id}/events/stream", streamEvents),
  ...on(["POST"], "/sessions/{id}/resources", (ctx) => {
    const session = find(ctx.state, ctx.params.id);
    if (session.archived_at) throw conflict(`Session '${session.id}' is archived.`);
    const resource = parseResource(ctx.state, ctx.json(), "resource");
    session.resources.push(resource);
    session.updated_at = nowIso();
    return created(resource);
  }),
  ...on(["GET"], "/sessions/{id}/resources", (ctx) => ok(paginate(find(ctx.state, ctx.params.id).resources, ctx.query, { createdAt: (r) => r.created_at }))),
  ...on(["GET"], "/sessions/{id}/resources/{resource_id}", (ctx) => ok(findResource(ctx.state, ctx.params.id, ctx.params.resource_id).resource)),
  ...on(["DELETE"], "/sessions/{id}/resources/{resource_id}", (ctx) => {
    const { session, resource } = findResource(ctx.state, ctx.params.id, ctx.params.resource_id);
    session.resources = session.resources.filter((r) => r !== resource);
    session.updated_at = nowIso();
    return ok({ id: resource.id, type: "session_resource_deleted" });
  }),
];
