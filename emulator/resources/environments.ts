import { badRequest } from "../errors";
import { newId, nowIso } from "../ids";
import { paginate } from "../pagination";
import { created, noContent, on, ok, type Ctx, type Route } from "../router";
import type { Environment, State } from "../types";
import * as v from "../validate";
import { archive, assertActive, find as findIn } from "./lifecycle";
import { assertEnvironmentUnused } from "./sessions";

const HOSTNAME = /^(?=.{1,253}$)(?:\*\.)?[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)$/;

function networking(value: unknown): v.Json {
  if (!v.isObject(value)) {
    throw badRequest('config.networking must be an object such as {"type":"limited"}.', "config.networking");
  }
  const type = v.oneOf(value.type, ["unrestricted", "limited", "allowed_hosts", "allowlist"], "config.networking.type");
  if (type === "limited" && value.allow_package_managers !== undefined && typeof value.allow_package_managers !== "boolean") {
    throw badRequest("allow_package_managers must be a boolean.", "config.networking.allow_package_managers");
  }
  if (type === "allowed_hosts" || type === "allowlist") {
    const key = v.has(value, "allowlist") && !v.has(value, "allowed_hosts") ? "allowlist" : "allowed_hosts";
    const param = `config.networking.${key}`;
    v.stringArray(v.required(value, key, param), param).forEach((host, i) => {
      if (!HOSTNAME.test(host) && !IPV4.test(host)) {
        throw badRequest(`'${host}' is not a bare hostname or IPv4 address (no scheme, port or path).`, `${param}[${i}]`);
      }
    });
  }
  return value;
}

/** Validates a whole config (create, or a replacing update); stored exactly as sent. */
function config(value: unknown): v.Json {
  // [Q-new] words this message without the colon used elsewhere.
  if (value === undefined || value === null) throw badRequest("Missing required field config", "config");
  const cfg = v.object(value, "config");
  const type = v.oneOf(v.required(cfg, "type", "config.type"), ["cloud", "self_hosted"], "config.type");
  for (const key of ["networking", "packages", "setup_script"]) {
    if (type === "self_hosted" && cfg[key] !== undefined) throw badRequest(`config.${key} is only valid for cloud environments.`, `config.${key}`);
  }
  if (cfg.networking !== undefined) networking(cfg.networking);
  if (cfg.packages !== undefined) {
    for (const [manager, list] of Object.entries(v.object(cfg.packages, "config.packages"))) {
      v.oneOf(manager, ["apt", "pip", "npm"], `config.packages.${manager}`);
      v.stringArray(list, `config.packages.${manager}`);
    }
  }
  if (cfg.setup_script !== undefined) v.string(cfg.setup_script, "config.setup_script");
  return cfg;
}

const find = (state: State, id: string): Environment => findIn(state.environments, id, "Environment");

export function newEnvironment(name: string, cfg: v.Json, description = "", metadata: Record<string, string> = {}): Environment {
  const now = nowIso();
  return {
    id: newId("env"),
    type: "environment",
    name,
    description,
    status: "ready",
    config: cfg,
    metadata,
    archived: false,
    archived_at: null,
    created_at: now,
    updated_at: now,
  };
}

/** The pre-provisioned environment every account has (newest docs: a normal env_ id named "default"). */
export const defaultEnvironment = () => newEnvironment("default", { type: "cloud", networking: { type: "limited" }, packages: {} });

function createEnvironment(ctx: Ctx) {
  const body = ctx.json();
  const env = newEnvironment(
    v.string(v.required(body, "name"), "name", { min: 1, max: 256 }),
    config(body.config),
    v.clearableString(body, "description", 2048) ?? "",
    v.metadata(body.metadata),
  );
  ctx.state.environments[env.id] = env;
  return created(env);
}

function updateEnvironment(ctx: Ctx) {
  const env = find(ctx.state, ctx.params.id);
  assertActive(env, "Environment");
  const body = ctx.json();
  const next: Environment = { ...env };
  if (v.has(body, "name")) next.name = v.string(body.name, "name", { min: 1, max: 256 });
  next.description = v.clearableString(body, "description", 2048) ?? env.description;
  if (v.has(body, "config")) next.config = config(body.config);
  next.metadata = v.patchMetadata(env.metadata, body.metadata, { emptyDeletes: true });
  next.updated_at = nowIso();
  ctx.state.environments[env.id] = next;
  return ok(next);
}

export const environmentRoutes: Route[] = [
  ...on(["POST"], "/environments", createEnvironment),
  ...on(["GET"], "/environments", (ctx) =>
    ok(paginate(Object.values(ctx.state.environments), ctx.query, { archived: (e) => e.archived, createdAt: (e) => e.created_at })),
  ),
  ...on(["GET"], "/environments/{id}", (ctx) => ok(find(ctx.state, ctx.params.id))),
  ...on(["PUT", "POST"], "/environments/{id}", updateEnvironment),
  ...on(["POST"], "/environments/{id}/archive", (ctx) => ok(archive(find(ctx.state, ctx.params.id), "Environment"))),
  ...on(["DELETE"], "/environments/{id}", (ctx) => {
    const { id } = find(ctx.state, ctx.params.id);
    assertEnvironmentUnused(ctx.state, id);
    delete ctx.state.environments[id];
    return noContent();
  }),
];
