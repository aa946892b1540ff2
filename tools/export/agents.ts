// agents/<key>.md: the frontmatter holds the agent's fields as the API names them, the body is
// the system prompt. Skills are referenced by their Fleet folder, never by id.
import { agentSystemPrompt, type Agent, type SkillBinding } from "../../sdk";
import { fromApi, toApiKey } from "../../provider/casing";
import { agentPrompt } from "../../provider/fleet/spec";
import { agentKind, agentSchema } from "../../provider/kinds/agent";
import { isEmpty } from "../../provider/json";
import { agentFile } from "./layout";
import { place, schemaProblems, type ExportPlan } from "./plan";
import { mapping, toYaml } from "./yaml";

export interface AgentContext {
  keys: Map<string, string>;
  skillKeys: Map<string, string>;
  /** Skills this export wrote, by id. */
  skillsWritten: ReadonlySet<string>;
  includeArchived: boolean;
}

/** Frontmatter keys in the kind's own field order; the prompt is the body, not a key. */
const FRONTMATTER_ORDER = Object.keys(agentSchema.shape)
  .filter((k) => k !== "system" && k !== "adoptId")
  .map(toApiKey);

/** Fields of the live agent that no agent file holds (the provider leaves them as they are). */
const NOT_IN_FILES = ["multiagent", "default_environment"] as const;

export function exportAgent(a: Agent, ctx: AgentContext, plan: ExportPlan): void {
  const placed = place("agent", a, a.name, ctx, plan, agentFile);
  if (!placed) return;
  const { who, archived, key, file } = placed;
  const problems: string[] = [];

  const skills = a.skills.map((b, i) => skillRef(b, i, ctx, problems));
  const system = agentSystemPrompt(a);
  if (agentPrompt(system) !== system) problems.push("system: the prompt starts with blank lines or ends with whitespace, which an agent file's body cannot carry (the Fleet trims it)");
  const values: Record<string, unknown> = {
    name: a.name === key ? undefined : a.name,
    model: a.model,
    description: a.description,
    tools: a.tools,
    mcp_servers: a.mcp_servers.map(({ type, ...s }) => (type === "url" ? s : { type, ...s })), // "url" is the schema's default
    skills: skills.map((s) => (s && s.version === undefined ? s.name : s)),
    metadata: a.metadata,
  };
  const frontmatter = mapping(FRONTMATTER_ORDER.map((k) => [k, values[k]]));

  // The kind's own checks, with the skills as the placeholders the Fleet validates with too.
  const args = fromApi<Record<string, unknown>>({ ...frontmatter, name: a.name, system, skills: skills.map(() => "skill") });
  problems.push(...schemaProblems(agentSchema, args, "frontmatter"));
  if (!problems.length) for (const p of agentKind.validate?.(agentSchema.parse(args)) ?? []) problems.push(`frontmatter.${p.path}: ${p.message}`);
  if (problems.length) return plan.refuse(who, problems);

  for (const field of NOT_IN_FILES) {
    if (!isEmpty(a[field])) plan.notes.push({ subject: who, detail: `${field}: not held by agent files; the provider leaves it as it is` });
  }
  skills.forEach((s, i) => {
    const id = a.skills[i].skill_id;
    if (s && !ctx.skillsWritten.has(id)) plan.notes.push({ subject: who, detail: `skills[${i}]: names skills/${s.name}/, which this export did not write (${id})` });
  });
  plan.write(file, `---\n${toYaml(frontmatter)}---\n${system ? `\n${system}\n` : ""}`);
  plan.counts.agents++;
  if (archived) plan.notes.push({ subject: who, detail: `archived: ${file} has no recorded id, so \`pulumi up\` creates a new agent (archiving cannot be undone)` });
  else plan.ids.set(file, a.id);
}

function skillRef(b: SkillBinding, i: number, ctx: AgentContext, problems: string[]): { name: string; version?: number | string } | undefined {
  const name = b.type === "custom" ? ctx.skillKeys.get(b.skill_id) : undefined;
  if (!name) {
    problems.push(`frontmatter.skills[${i}]: ${b.type === "custom" ? `skill ${b.skill_id} is not in this account` : `a ${JSON.stringify(b.type)} skill (${b.skill_id}) is not a folder a Fleet can name`}`);
    return undefined;
  }
  if (b.version === null || b.version === undefined) return { name };
  return { name, version: /^[1-9]\d*$/.test(String(b.version)) ? Number(b.version) : b.version };
}
