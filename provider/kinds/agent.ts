import { z } from "zod";
import type { QoderClient } from "../../sdk";
import { fromApi, toApi } from "../casing";
import { isEmpty, isRecord, sameValue } from "../json";
import { archivingDeletion, httpsUrl, idOf, metadataSchema } from "../schemas";
import type { Inputs, Kind, Outputs } from "./kind";
import { metadataPatch, clearable } from "./update-body";

const EFFORTS = ["none", "low", "medium", "high", "xhigh", "max"] as const;

const permissionPolicy = z.object({ type: z.enum(["always_allow", "always_ask"]) }).strict();
const toolConfig = z
  .object({ name: z.string().min(1), enabled: z.boolean().optional(), permissionPolicy: permissionPolicy.optional() })
  .strict();

const tool = z.discriminatedUnion("type", [
  z
    .object({
      type: z.literal("agent_toolset_20260401"),
      enabledTools: z.array(z.string().min(1)).optional(),
      disallowedTools: z.array(z.string().min(1)).optional(),
      configs: z.array(toolConfig).optional(),
      defaultConfig: z.object({ enabled: z.boolean().optional(), permissionPolicy: permissionPolicy.optional() }).strict().optional(),
    })
    .strict(),
  z.object({ type: z.literal("mcp_toolset"), mcpServerName: z.string().min(1) }).passthrough(),
  z
    .object({
      type: z.literal("custom"),
      name: z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, "must be 1-128 characters of A-Z a-z 0-9 _ -"),
      description: z.string().min(1),
      inputSchema: z.record(z.string(), z.unknown()),
    })
    .strict(),
]);

/**
 * A value given either as a bare string or as an object. Unlike z.union, failures are those of
 * the form actually given, at their own path (`model.effort: ...`, not `model: Invalid input`).
 */
function stringOr<S extends z.ZodType, O extends z.ZodType>(str: S, obj: O) {
  return z.any().transform((v, ctx): z.output<S> | z.output<O> => {
    const r = (typeof v === "string" ? str : obj).safeParse(v);
    if (r.success) return r.data as z.output<S> | z.output<O>;
    for (const i of r.error.issues) ctx.addIssue({ code: "custom", message: i.message, path: i.path });
    return z.NEVER;
  });
}

const skillRef = stringOr(
  z.string().min(1),
  z
    .object({
      skillId: z.string().min(1),
      version: z.union([z.string().min(1), z.number().int().positive()]).optional(),
      type: z.enum(["custom", "qoder"]).optional(),
    })
    .strict(),
).transform((s: any) =>
  typeof s === "string"
    ? { type: "custom", skillId: s }
    : { type: s.type ?? "custom", skillId: s.skillId, ...(s.version !== undefined ? { version: String(s.version) } : {}) },
);

const model = stringOr(
  z.string().min(1),
  z.object({ id: z.string().min(1), effort: z.enum(EFFORTS).optional(), contextWindow: z.number().int().positive().optional() }).strict(),
);

const schema = z
  .object({
    name: z.string().min(1).max(256),
    model,
    system: z.string().max(100_000).default(""),
    description: z.string().max(2048).default(""),
    tools: z.array(tool).max(128, "an agent has at most 128 tools").default([]),
    mcpServers: z
      .array(z.object({ name: z.string().min(1).max(255), url: httpsUrl, type: z.literal("url").default("url") }).strict())
      .max(20, "an agent has at most 20 MCP servers")
      .default([]),
    skills: z.array(skillRef).max(20, "an agent has at most 20 skills").default([]),
    metadata: metadataSchema,
    deletionPolicy: archivingDeletion,
    adoptId: idOf("agent").optional(),
  })
  .strict();

/** Every MCP server must be used by an mcp_toolset tool, and every toolset must name a server. */
function validate(inputs: Inputs) {
  const problems: { path: string; message: string }[] = [];
  const servers: { name: string }[] = inputs.mcpServers ?? [];
  const names = new Set<string>();
  servers.forEach((s, i) => {
    if (names.has(s.name)) problems.push({ path: `mcpServers[${i}].name`, message: `duplicate MCP server name "${s.name}"` });
    names.add(s.name);
  });
  const used = new Set<string>();
  (inputs.tools ?? []).forEach((t: any, i: number) => {
    if (t.type !== "mcp_toolset") return;
    used.add(t.mcpServerName);
    if (!names.has(t.mcpServerName)) {
      problems.push({ path: `tools[${i}].mcpServerName`, message: `names no server in mcpServers ("${t.mcpServerName}")` });
    }
  });
  servers.forEach((s, i) => {
    if (!used.has(s.name)) {
      problems.push({ path: `mcpServers[${i}]`, message: `server "${s.name}" is not used by any mcp_toolset tool (the API rejects it)` });
    }
  });
  return problems;
}

function modelToApi(m: Inputs["model"]) {
  return typeof m === "string" ? m : toApi(m);
}

/** A model given as {id} alone is the same as the bare id. */
function sameModel(desired: any, actual: any): boolean {
  const asObject = (m: any) => (typeof m === "string" ? { id: m } : m);
  // The newest docs say responses carry the model as a bare id. If the server answers an object
  // model with a string, effort and context window are invisible: compare what can be seen, or
  // every preview would show a change that no update can remove.
  if (typeof actual === "string") return asObject(desired).id === actual;
  return sameValue(asObject(desired), asObject(actual));
}

/**
 * Tool sub-fields the server may fill in by itself (peers saw `default_config`/`configs`
 * enrichment): left unset by the program, they are not compared. Any other field the program
 * drops (an `enabledTools` allowlist...) is a real change: plain subset equality would hide it.
 */
const SERVER_FILLED_TOOL_FIELDS = new Set(["defaultConfig", "configs"]);

function sameTools(desired: any, actual: any): boolean {
  const d: any[] = desired ?? [];
  const a: any[] = actual ?? [];
  if (!Array.isArray(a) || d.length !== a.length) return false;
  return d.every((tool, i) => {
    if (!isRecord(tool) || !isRecord(a[i])) return sameValue(tool, a[i]);
    const live = Object.fromEntries(Object.entries(a[i]).filter(([k]) => k in tool || !SERVER_FILLED_TOOL_FIELDS.has(k)));
    return sameValue(tool, live);
  });
}

const API_FIELDS: Record<string, string> = {
  name: "name",
  model: "model",
  system: "system",
  description: "description",
  tools: "tools",
  mcpServers: "mcp_servers",
  skills: "skills",
  metadata: "metadata",
};

function apiValue(key: string, v: any): any {
  if (key === "model") return modelToApi(v);
  if (key === "skills") return (v ?? []).map((s: any) => toApi(s));
  return key === "metadata" || key === "name" || key === "system" || key === "description" ? v : toApi(v);
}

export const agentKind: Kind = {
  name: "agent",
  title: "Agent",
  idOutput: "agentId",
  schema: schema as unknown as z.ZodType<Inputs>,
  fields: {
    name: {},
    model: { same: sameModel },
    system: {},
    description: {},
    tools: { same: sameTools },
    mcpServers: {},
    skills: {}, // an unpinned binding comes back without a version: removing a pin is a change
    metadata: {},
  },
  deletion: { default: "archive", canArchive: true },
  validate,
  lockKey: (id) => `agent:${id}`,

  create: (c: QoderClient, inputs, opts) => {
    const body: Record<string, unknown> = {};
    for (const [key, api] of Object.entries(API_FIELDS)) {
      if (!isEmpty(inputs[key]) || key === "name" || key === "model") body[api] = apiValue(key, inputs[key]);
    }
    return c.agents.create(body as any, opts);
  },
  get: (c, id) => c.agents.get(id),
  update: (c, id, olds, news, changed) => {
    // Minimal body: unchanged fields omitted, cleared ones null, metadata as a patch.
    const body: Record<string, unknown> = { version: olds.version };
    for (const key of changed) {
      const api = API_FIELDS[key];
      if (!api) continue;
      body[api] = key === "metadata" ? metadataPatch(olds.metadata, news.metadata) : clearable(apiValue(key, news[key]));
    }
    return c.agents.update(id, body as any);
  },
  archive: (c, id) => c.agents.archive(id),
  destroy: (c, id) => c.agents.delete(id),

  toInputs: (live: any, prev: Outputs) => ({
    name: live.name,
    model: typeof live.model === "string" ? live.model : fromApi(live.model),
    system: live.system ?? live.instructions ?? "",
    description: live.description ?? "",
    tools: fromApi(live.tools ?? []),
    mcpServers: fromApi(live.mcp_servers ?? []),
    skills: (live.skills ?? []).map((s: any) => {
      const ref = fromApi(s) as Record<string, unknown>;
      if (ref.version === null || ref.version === undefined) delete ref.version;
      else ref.version = String(ref.version);
      return ref;
    }),
    metadata: live.metadata ?? {},
    deletionPolicy: prev.deletionPolicy ?? "archive",
    ...(prev.adoptId ? { adoptId: prev.adoptId } : {}),
  }),
  computed: (live: any) => ({
    agentId: live.id,
    version: live.version,
    archived: live.archived === true || (live.archived === undefined && !!live.archived_at),
    archivedAt: live.archived_at ?? null,
    createdAt: live.created_at,
    updatedAt: live.updated_at,
  }),
  isArchived: (live: any) => live.archived === true || !!live.archived_at,
};

