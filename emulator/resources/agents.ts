import { ApiError, badRequest, conflict } from "../errors";
import { newId, nowIso } from "../ids";
import type { Model } from "../models";
import { paginate } from "../pagination";
import { created, on, ok, type Ctx, type Route } from "../router";
import type { Agent, State } from "../types";
import * as v from "../validate";
import { checkVersion, find as findIn } from "./lifecycle";

const BROWSER_TOOL = "browser_toolset_20260714";
const BROWSER_BETA = "browser-use-2026-07-14";

function model(value: unknown, models: Model[]): Agent["model"] {
  const id = typeof value === "string" ? value : v.isObject(value) ? value.id : undefined;
  if (typeof id !== "string") throw badRequest("Field 'model' must be a model id string or an object with 'id'.", "model");
  const known = models.find((m) => m.id === id && m.is_enabled);
  if (!known) throw badRequest(`Model '${id}' is not available.`, "model");
  if (typeof value === "string") return value;
  const cfg = value as v.Json;
  if (!known.efforts?.length) throw badRequest(`Model '${id}' does not support effort settings; pass it as a string.`, "model");
  if (cfg.effort !== undefined) v.oneOf(cfg.effort, known.efforts, "model.effort");
  const windows = known.available_context_windows;
  if (cfg.context_window !== undefined && !(windows ?? []).includes(cfg.context_window as number)) {
    throw badRequest(`model.context_window must be one of: ${(windows ?? []).join(", ")}.`, "model.context_window");
  }
  return { ...cfg } as Agent["model"];
}

function mcpServers(value: unknown): v.Json[] {
  const servers = v.array(value, "mcp_servers", 20).map((s, i) => v.object(s, `mcp_servers[${i}]`));
  const names = new Set<string>();
  servers.forEach((s, i) => {
    if (s.type !== undefined) v.oneOf(s.type, ["url"], `mcp_servers[${i}].type`);
    const name = v.string(v.required(s, "name", `mcp_servers[${i}].name`), `mcp_servers[${i}].name`, { min: 1, max: 255 });
    v.string(v.required(s, "url", `mcp_servers[${i}].url`), `mcp_servers[${i}].url`, { min: 1 });
    if (names.has(name)) throw badRequest(`Duplicate MCP server name '${name}'.`, `mcp_servers[${i}].name`);
    names.add(name);
  });
  return servers;
}

function tools(value: unknown, betas: string): v.Json[] {
  return v.array(value, "tools", 128).map((t, i) => {
    const tool = v.object(t, `tools[${i}]`);
    const type = v.string(v.required(tool, "type", `tools[${i}].type`), `tools[${i}].type`, { min: 1 });
    if (type === "custom") {
      const name = v.string(v.required(tool, "name", `tools[${i}].name`), `tools[${i}].name`, { min: 1, max: 128 });
      if (!/^[A-Za-z0-9_-]+$/.test(name)) throw badRequest("Custom tool names may only contain [A-Za-z0-9_-].", `tools[${i}].name`);
    }
    if (type === "mcp_toolset") v.string(v.required(tool, "mcp_server_name", `tools[${i}].mcp_server_name`), `tools[${i}].mcp_server_name`, { min: 1 });
    if (type === BROWSER_TOOL && !betas.split(",").map((b) => b.trim()).includes(BROWSER_BETA)) {
      throw badRequest(`tools containing ${BROWSER_TOOL} require the 'x-qoder-beta: ${BROWSER_BETA}' header.`, `tools[${i}].type`);
    }
    return tool;
  });
}

/** Every mcp_toolset must name a declared server and every server must be used by one. */
function crossCheck(agent: Pick<Agent, "tools" | "mcp_servers">): void {
  const used = new Set<string>();
  (agent.tools as v.Json[]).forEach((t, i) => {
    if (t.type !== "mcp_toolset") return;
    const name = t.mcp_server_name as string;
    if (!(agent.mcp_servers as v.Json[]).some((s) => s.name === name)) {
      throw badRequest(`mcp_toolset references unknown MCP server '${name}'.`, `tools[${i}].mcp_server_name`);
    }
    used.add(name);
  });
  (agent.mcp_servers as v.Json[]).forEach((s, i) => {
    if (!used.has(s.name as string)) throw badRequest(`MCP server '${s.name}' is not referenced by any mcp_toolset tool.`, `mcp_servers[${i}]`);
  });
}

function skills(value: unknown, state: State): v.Json[] {
  return v.array(value, "skills", 20).map((s, i) => {
    const binding = v.object(s, `skills[${i}]`);
    const type = v.oneOf(binding.type ?? "custom", ["custom", "qoder"], `skills[${i}].type`);
    const id = v.string(v.required(binding, "skill_id", `skills[${i}].skill_id`), `skills[${i}].skill_id`, { min: 1 });
    if (binding.version !== undefined && binding.version !== null) v.string(binding.version, `skills[${i}].version`);
    // Qoder-managed ("qoder") skills have no catalogue here, so only custom ids are checked.
    if (type === "custom" && !state.skills[id]) throw badRequest(`Skill '${id}' was not found.`, `skills[${i}].skill_id`);
    return binding;
  });
}

function prompt(body: v.Json): string | undefined {
  const key = v.has(body, "system") ? "system" : v.has(body, "instructions") ? "instructions" : undefined;
  if (!key) return undefined;
  return body[key] === null ? "" : v.string(body[key], key, { max: 100000 });
}

const listOrEmpty = <T>(body: v.Json, key: string, parse: (value: unknown) => T[]): T[] | undefined =>
  !v.has(body, key) ? undefined : body[key] === null ? [] : parse(body[key]);

function snapshot(agent: Agent): Agent {
  const { archived: _archived, ...rest } = structuredClone(agent);
  return rest;
}

const find = (state: State, id: string): Agent => findIn(state.agents, id, "Agent");

function createAgent(ctx: Ctx) {
  const body = ctx.json();
  const now = nowIso();
  const agent: Agent = {
    type: "agent",
    id: newId("agent"),
    name: v.string(v.required(body, "name"), "name", { min: 1, max: 256 }),
    description: v.clearableString(body, "description", 2048) ?? "",
    model: model(v.required(body, "model"), ctx.models),
    system: prompt(body) ?? "",
    tools: listOrEmpty(body, "tools", (x) => tools(x, String(ctx.headers["x-qoder-beta"] ?? ""))) ?? [],
    mcp_servers: listOrEmpty(body, "mcp_servers", mcpServers) ?? [],
    skills: listOrEmpty(body, "skills", (x) => skills(x, ctx.state)) ?? [],
    metadata: v.metadata(body.metadata),
    ...(body.multiagent !== undefined ? { multiagent: body.multiagent } : {}),
    version: 1,
    archived: false,
    archived_at: null,
    created_at: now,
    updated_at: now,
  };
  crossCheck(agent);
  ctx.state.agents[agent.id] = agent;
  ctx.state.agentVersions[agent.id] = [snapshot(agent)];
  return created(agent);
}

function getAgent(ctx: Ctx) {
  const agent = find(ctx.state, ctx.params.id);
  const version = ctx.query.get("version");
  if (version === null) return ok(agent);
  if (!/^\d+$/.test(version) || Number(version) < 1) throw badRequest("version must be a positive integer.", "version");
  const snap = ctx.state.agentVersions[agent.id][Number(version) - 1];
  if (!snap) throw new ApiError(404, "not_found_error", `Agent '${agent.id}' version ${version} was not found.`);
  return ok(snap);
}

function updateAgent(ctx: Ctx) {
  const agent = find(ctx.state, ctx.params.id);
  const body = ctx.json();
  if (agent.archived) throw conflict(`Agent '${agent.id}' is archived and cannot be updated.`);
  checkVersion(body, agent.version, true);

  const next: Agent = { ...agent };
  if (v.has(body, "name")) next.name = v.string(body.name, "name", { min: 1, max: 256 });
  if (v.has(body, "model")) next.model = model(body.model, ctx.models);
  next.description = v.clearableString(body, "description", 2048) ?? agent.description;
  next.system = prompt(body) ?? agent.system;
  next.tools = listOrEmpty(body, "tools", (x) => tools(x, String(ctx.headers["x-qoder-beta"] ?? ""))) ?? agent.tools;
  next.mcp_servers = listOrEmpty(body, "mcp_servers", mcpServers) ?? agent.mcp_servers;
  next.skills = listOrEmpty(body, "skills", (x) => skills(x, ctx.state)) ?? agent.skills;
  next.metadata = v.patchMetadata(agent.metadata, body.metadata);
  if (v.has(body, "multiagent")) next.multiagent = body.multiagent;
  crossCheck(next);
  // A no-op update creates no new version (nothing to snapshot), so clients can re-apply safely.
  if (JSON.stringify(next) === JSON.stringify(agent)) return ok(agent);

  next.version = agent.version + 1;
  next.updated_at = nowIso();
  ctx.state.agents[agent.id] = next;
  ctx.state.agentVersions[agent.id].push(snapshot(next));
  return ok(next);
}

function archiveAgent(ctx: Ctx) {
  const agent = find(ctx.state, ctx.params.id);
  if (agent.archived) throw conflict(`Agent '${agent.id}' is already archived.`);
  agent.archived = true;
  agent.archived_at = agent.updated_at = nowIso();
  return ok(agent);
}

function deleteAgent(ctx: Ctx) {
  const agent = find(ctx.state, ctx.params.id);
  delete ctx.state.agents[agent.id];
  delete ctx.state.agentVersions[agent.id];
  return ok({ type: "agent", id: agent.id, deleted: true });
}

export const agentRoutes: Route[] = [
  ...on(["POST"], "/agents", createAgent),
  ...on(["GET"], "/agents", (ctx) =>
    ok(paginate(Object.values(ctx.state.agents), ctx.query, { archived: (a) => !!a.archived, createdAt: (a) => a.created_at })),
  ),
  ...on(["GET"], "/agents/{id}", getAgent),
  ...on(["PUT", "POST"], "/agents/{id}", updateAgent),
  ...on(["DELETE"], "/agents/{id}", deleteAgent),
  ...on(["POST"], "/agents/{id}/archive", archiveAgent),
  ...on(["GET"], "/agents/{id}/versions", (ctx) => {
    const { id } = find(ctx.state, ctx.params.id);
    return ok(paginate(ctx.state.agentVersions[id], ctx.query, { key: (a) => a.version, intKeys: true }));
  }),
];
