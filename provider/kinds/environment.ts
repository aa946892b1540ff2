import { z } from "zod";
import { isArchived, type Environment, type EnvironmentCreate, type EnvironmentUpdate } from "../../sdk";
import { fromApi } from "../casing";
import { archivingDeletion, bareHost, idOf, metadataSchema, sourceFile } from "../schemas";
import type { FieldRules, Kind } from "./kind";
import { createBody, updateBody } from "./update-body";

const networking = z.discriminatedUnion("type", [
  z.object({ type: z.literal("unrestricted") }).strict(),
  z.object({ type: z.literal("limited"), allowPackageManagers: z.boolean().optional() }).strict(),
  z
    .object({
      type: z.literal("allowed_hosts"),
      allowedHosts: z.array(bareHost).min(1, "allowed_hosts networking needs at least one host"),
    })
    .strict(),
]);

const packageList = z.array(z.string().min(1)).optional();

const CLOUD_ONLY = ["networking", "packages", "setupScript"] as const;

// Defaults depend on the type: a cloud environment gets limited networking, while a self_hosted
// one must carry none of the cloud-only fields (the API answers 400 if it does).
const config = z
  .object({
    type: z.enum(["cloud", "self_hosted"]).default("cloud"),
    networking: networking.optional(),
    packages: z.object({ apt: packageList, pip: packageList, npm: packageList }).strict().optional(),
    setupScript: z.string().optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.type !== "self_hosted") return;
    for (const key of CLOUD_ONLY) {
      if (c[key] !== undefined) ctx.addIssue({ code: "custom", path: [key], message: "is only valid for cloud environments" });
    }
  })
  .transform((c) => (c.type === "cloud" && !c.networking ? { ...c, networking: { type: "limited" as const } } : c));

export const environmentSchema = z
  .object({
    name: z.string().min(1).max(256),
    description: z.string().max(2048).default(""),
    config: config.prefault({}), // prefault: the default goes through the transform above
    metadata: metadataSchema,
    deletionPolicy: archivingDeletion,
    adoptId: idOf("env").optional(),
    sourceFile,
  })
  .strict();

export type EnvironmentInputs = z.output<typeof environmentSchema>;
type ConfigInput = EnvironmentInputs["config"];

export interface EnvironmentOutputs {
  environmentId: string;
  status: string;
  archived: boolean;
  createdAt: string;
  updatedAt: string;
}
export type EnvironmentState = EnvironmentInputs & EnvironmentOutputs;

// config is replaced whole on update.
const fields = { name: {}, description: {}, config: {}, metadata: {} } satisfies FieldRules<EnvironmentInputs, EnvironmentState>;

/** Networking as older docs spell it: allowed_hosts as "allowlist", the type and the list's key. */
interface LiveNetworking {
  type: string;
  allowlist?: string[];
  allowedHosts?: string[];
}

/** The live config in input form: camelCase, the older spelling read as the newer one. */
function configInput(live: Environment["config"]): ConfigInput {
  const c = fromApi<Omit<ConfigInput, "networking"> & { networking?: LiveNetworking }>(live);
  const net = c.networking;
  if (net?.type === "allowlist") net.type = "allowed_hosts";
  if (net?.allowlist !== undefined && net.allowedHosts === undefined) {
    net.allowedHosts = net.allowlist;
    delete net.allowlist;
  }
  // What the server stores is what it was sent (or the older spelling, mapped above).
  return c as ConfigInput;
}

function state(inputs: EnvironmentInputs, live: Environment): EnvironmentState {
  const archived = isArchived(live);
  return {
    ...inputs,
    environmentId: live.id,
    status: live.status ?? (archived ? "archived" : "ready"),
    archived,
    createdAt: live.created_at,
    updatedAt: live.updated_at,
  };
}

export const environmentKind: Kind<EnvironmentInputs, EnvironmentState, Environment> = {
  name: "environment",
  title: "Environment",
  idOutput: "environmentId",
  schema: environmentSchema,
  fields,
  outputs: { environmentId: true, status: true, archived: true, createdAt: true, updatedAt: true },
  deletion: { default: "archive", canArchive: true },

  create: (c, i, opts) => c.environments.create(createBody(fields, i) as EnvironmentCreate, opts),
  get: (c, id) => c.environments.get(id),
  update: async (c, id, olds, news, changed) => state(news, await c.environments.update(id, updateBody(fields, olds, news, changed) as EnvironmentUpdate)),
  archive: (c, id) => c.environments.archive(id),
  destroy: (c, id) => c.environments.delete(id),

  toInputs: (live, prev) => ({
    name: live.name,
    description: live.description ?? "",
    config: configInput(live.config),
    metadata: live.metadata,
    deletionPolicy: prev.deletionPolicy ?? "archive",
    ...(prev.adoptId ? { adoptId: prev.adoptId } : {}),
  }),
  state,
  isArchived,
};
