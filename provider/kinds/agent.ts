import { z } from "zod";
import { agentSystemPrompt, BadRequestError, isArchived, type Agent, type AgentCreate, type AgentUpdate, type QoderClient, type SkillBinding } from "../../sdk";
import { fromApi } from "../casing";
import { isRecord, sameValue } from "../json";
import { archivingDeletion, httpsUrl, idOf, metadataSchema, sourceFile } from "../schemas";
import type { CheckProblem, FieldRules, Kind } from "./kind";
import { createBody, updateBody } from "./update-body";

export const EFFORTS = ["none", "low", "medium", "high", "xhigh", "max"] as const;

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
 * A value given either as a bare string or as an object, typed as that union. Unlike z.union,
 * failures are those of the form actually given, at their own path (`model.effort: ...`, not
 * `model: Invalid input`).
 */
function stringOr<S extends z.ZodType<string, string>, O extends z.ZodType>(str: S, obj: O) {
  return z.custom<z.input<S> | z.input<O>>().transform((v, ctx): z.output<S> | z.output<O> => {
    const r = typeof v === "string" ? str.safeParse(v) : obj.safeParse(v);
    if (r.success) return r.data;
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
).transform((s): { type: "custom" | "qoder"; skillId: string; version?: string } =>
  typeof s === "string"
    ? { type: "custom", skillId: s }
    : { type: s.type ?? "custom", skillId: s.skillId, ...(s.version !== undefined ? { version: String(s.version) } : {}) },
);

const model = stringOr(
  z.string().min(1),
  z.object({ id: z.string().min(1), effort: z.enum(EFFORTS).optional(), contextWindow: z.number().int().positive().optional() }).strict(),
);

export const agentSchema = z
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
    sourceFile,
  })
  .strict();

export type AgentInputs = z.output<typeof agentSchema>;
type AgentToolInput = AgentInputs["tools"][number];

export interface AgentOutputs {
  agentId: string;
  version: number;
  archived: boolean;
  archivedAt: string | null;
  createdAt: string;
  updatedAt: string;
}
export type AgentState = AgentInputs & AgentOutputs;

/** Every MCP server must be used by an mcp_toolset tool, and every toolset must name a server. */
function validate(inputs: AgentInputs): CheckProblem[] {
  const problems: CheckProblem[] = [];
  const names = new Set<string>();
  inputs.mcpServers.forEach((s, i) => {
    if (names.has(s.name)) problems.push({ path: `mcpServers[${i}].name`, message: `duplicate MCP server name "${s.name}"` });
    names.add(s.name);
  });
  const used = new Set<string>();
  inputs.tools.forEach((t, i) => {
    if (t.type !== "mcp_toolset") return;
    used.add(t.mcpServerName);
    if (!names.has(t.mcpServerName)) {
      problems.push({ path: `tools[${i}].mcpServerName`, message: `names no server in mcpServers ("${t.mcpServerName}")` });
    }
  });
  inputs.mcpServers.forEach((s, i) => {
    if (!used.has(s.name)) {
      problems.push({ path: `mcpServers[${i}]`, message: `server "${s.name}" is not used by any mcp_toolset tool (the API rejects it)` });
    }
  });
  return problems;
}

/** A model given as {id} alone is the same as the bare id. */
function sameModel(desired: AgentInputs["model"], actual: unknown): boolean {
  const asObject = (m: unknown) => (typeof m === "string" ? { id: m } : m);
  // The newest docs say responses carry the model as a bare id. If the server answers an object
  // model with a string, effort and context window are invisible: compare what can be seen, or
  // every preview would show a change that no update can remove.
  if (typeof actual === "string") return (typeof desired === "string" ? desired : desired.id) === actual;
  return sameValue(asObject(desired), asObject(actual));
}

/**
 * Tool sub-fields the server may fill in by itself (peers saw `default_config`/`configs`
 * enrichment): left unset by the program, they are not compared. Any other field the program
 * drops (an `enabledTools` allowlist...) is a real change: plain subset equality would hide it.
 */
const SERVER_FILLED_TOOL_FIELDS = new Set(["defaultConfig", "configs"]);

function sameTools(desired: AgentToolInput[], actual: unknown): boolean {
  if (!Array.isArray(actual) || desired.length !== actual.length) return false;
  return desired.every((tool, i) => {
    const live: unknown = actual[i];
    if (!isRecord(live)) return sameValue(tool, live);
    return sameValue(tool, Object.fromEntries(Object.entries(live).filter(([k]) => k in tool || !SERVER_FILLED_TOOL_FIELDS.has(k))));
  });
}

const fields = {
  name: {},
  model: { same: sameModel },
  system: {},
  description: {},
  tools: { same: sameTools },
  mcpServers: {},
  skills: {}, // an unpinned binding comes back without a version: removing a pin is a change
  metadata: {},
} satisfies FieldRules<AgentInputs, AgentState>;

type SkillInput = AgentInputs["skills"][number];

/** A binding as the program gives it: an unpinned one has no version, a pinned one a string. */
function skillInput(s: SkillBinding): SkillInput {
  const { version, ...ref } = fromApi<Omit<SkillInput, "version"> & { version?: string | number | null }>(s);
  return version === null || version === undefined ? ref : { ...ref, version: String(version) };
}

function state(inputs: AgentInputs, live: Agent): AgentState {
  return {
    ...inputs,
    agentId: live.id,
    version: live.version,
    archived: isArchived(live),
    archivedAt: live.archived_at ?? null,
    createdAt: live.created_at,
    updatedAt: live.updated_at,
  };
}

/**
 * A model the account may not use fails naming the valid ids: one GET /models, made only on
 * this failure. (The engine's message adds the Fleet file and the agent.)
 */
async function withModelHint<T>(c: QoderClient, model: unknown, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    if (!(e instanceof BadRequestError) || e.param !== "model") throw e;
    const ids = await c.models.list().then((ms) => ms.map((m) => m.id), () => undefined);
    const id = isRecord(model) ? model.id : model;
    throw new Error(`model: ${JSON.stringify(id)} is not a model this account may use${ids ? `; valid ids: ${ids.join(", ")}` : ""} (${e.message})`, { cause: e });
  }
}

export const agentKind: Kind<AgentInputs, AgentState, Agent> = {
  name: "agent",
  title: "Agent",
  idOutput: "agentId",
  schema: agentSchema,
  fields,
  outputs: { agentId: true, version: true, archived: true, archivedAt: true, createdAt: true, updatedAt: true },
  deletion: { default: "archive", canArchive: true },
  validate,
  lockKey: (id) => `agent:${id}`,

  create: (c, inputs, opts) => withModelHint(c, inputs.model, () => c.agents.create(createBody(fields, inputs) as AgentCreate, opts)),
  get: (c, id) => c.agents.get(id),
  update: async (c, id, olds, news, changed) => {
    const body: AgentUpdate = { ...updateBody(fields, olds, news, changed), version: olds.version };
    return state(news, await withModelHint(c, news.model, () => c.agents.update(id, body)));
  },
  archive: (c, id) => c.agents.archive(id),
  destroy: (c, id) => c.agents.delete(id),

  toInputs: (live, prev) => ({
    name: live.name,
    model: typeof live.model === "string" ? live.model : fromApi<{ id: string }>(live.model),
    system: agentSystemPrompt(live),
    description: live.description ?? "",
    tools: fromApi<AgentToolInput[]>(live.tools),
    mcpServers: fromApi<AgentInputs["mcpServers"]>(live.mcp_servers),
    skills: live.skills.map(skillInput),
    metadata: live.metadata,
    deletionPolicy: prev.deletionPolicy ?? "archive",
    ...(prev.adoptId ? { adoptId: prev.adoptId } : {}),
  }),
  state,
  isArchived,
};
