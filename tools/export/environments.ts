// environments/<key>.yaml: name, description, config and metadata as the API names them.
import type { Environment } from "../../sdk";
import { fromApi, toApiKey } from "../../provider/casing";
import { environmentSchema } from "../../provider/kinds/environment";
import { isRecord } from "../../provider/json";
import { environmentFile } from "./layout";
import { place, schemaProblems, type ExportPlan } from "./plan";
import { mapping, toYaml } from "./yaml";

const ORDER = Object.keys(environmentSchema.shape).filter((k) => k !== "adoptId").map(toApiKey);

export interface EnvironmentContext {
  keys: Map<string, string>;
  includeArchived: boolean;
}

/**
 * The config as a file says it. Older docs spell allowed_hosts networking `allowlist`, which
 * the provider reads as allowed_hosts (kinds/environment.ts): the file uses today's spelling.
 */
function fileConfig(config: Environment["config"], problems: string[]): Record<string, unknown> {
  const { networking, ...rest } = config;
  if (typeof networking === "string") problems.push(`config.networking: the string form ${JSON.stringify(networking)} is refused by today's API; a file can only say { type: ${networking} }, a change`);
  if (!isRecord(networking)) return rest;
  const { allowlist, ...net } = networking as Record<string, unknown>;
  return {
    ...rest,
    networking: { ...net, ...(net.type === "allowlist" ? { type: "allowed_hosts" } : {}), ...(allowlist !== undefined && net.allowed_hosts === undefined ? { allowed_hosts: allowlist } : {}) },
  };
}

export function exportEnvironment(e: Environment, ctx: EnvironmentContext, plan: ExportPlan): void {
  const placed = place("environment", e, e.name, ctx, plan, environmentFile);
  if (!placed) return;
  const { who, archived, key, file } = placed;
  const problems: string[] = [];
  const values: Record<string, unknown> = { name: e.name === key ? undefined : e.name, description: e.description, config: fileConfig(e.config, problems), metadata: e.metadata };
  const settings = mapping(ORDER.map((k) => [k, values[k]]));
  problems.push(...schemaProblems(environmentSchema, fromApi({ name: e.name, ...settings })));
  if (problems.length) return plan.refuse(who, problems);
  if (e.scope !== undefined && e.scope !== null) plan.notes.push({ subject: who, detail: "scope: not held by environment files; the provider leaves it as it is" });
  plan.write(file, toYaml(settings));
  plan.counts.environments++;
  if (archived) plan.notes.push({ subject: who, detail: `archived: ${file} has no recorded id, so \`pulumi up\` creates a new environment` });
  else plan.ids.set(file, e.id);
}
