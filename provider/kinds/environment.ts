import { z } from "zod";
import { fromApi, toApi } from "../casing";
import { archivingDeletion, bareHost, idOf, metadataSchema } from "../schemas";
import type { Inputs, Kind, Outputs } from "./kind";
import { clearable, metadataPatch } from "./update-body";

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

const schema = z
  .object({
    name: z.string().min(1).max(256),
    description: z.string().max(2048).default(""),
    config: config.prefault({}), // prefault: the default goes through the transform above
    metadata: metadataSchema,
    deletionPolicy: archivingDeletion,
    adoptId: idOf("env").optional(),
  })
  .strict();

const API_FIELDS: Record<string, string> = { name: "name", description: "description", config: "config", metadata: "metadata" };

export const environmentKind: Kind = {
  name: "environment",
  title: "Environment",
  idOutput: "environmentId",
  schema: schema as unknown as z.ZodType<Inputs>,
  fields: { name: {}, description: {}, config: {}, metadata: {} },
  deletion: { default: "archive", canArchive: true },

  create: (c, i, opts) =>
    c.environments.create({ name: i.name, description: i.description, config: toApi(i.config), metadata: i.metadata } as any, opts),
  get: (c, id) => c.environments.get(id),
  update: (c, id, olds, news, changed) => {
    const body: Record<string, unknown> = {};
    for (const key of changed) {
      const api = API_FIELDS[key];
      if (!api) continue;
      if (key === "metadata") body.metadata = metadataPatch(olds.metadata, news.metadata);
      else if (key === "config") body.config = toApi(news.config); // config is replaced whole
      else body[api] = clearable(news[key]);
    }
    return c.environments.update(id, body as any);
  },
  archive: (c, id) => c.environments.archive(id),
  destroy: (c, id) => c.environments.delete(id),

  toInputs: (live: any, prev: Outputs) => {
    const config = fromApi(live.config ?? {}) as Record<string, any>;
    const net = config.networking;
    // The older docs spell allowed_hosts "allowlist", as the type and as the key of the list.
    if (net?.type === "allowlist") net.type = "allowed_hosts";
    if (net?.allowlist !== undefined && net.allowedHosts === undefined) {
      net.allowedHosts = net.allowlist;
      delete net.allowlist;
    }
    return {
      name: live.name,
      description: live.description ?? "",
      config,
      metadata: live.metadata ?? {},
      deletionPolicy: prev.deletionPolicy ?? "archive",
      ...(prev.adoptId ? { adoptId: prev.adoptId } : {}),
    };
  },
  computed: (live: any) => ({
    environmentId: live.id,
    status: live.status ?? (live.archived ? "archived" : "ready"),
    archived: live.archived === true || live.status === "archived",
    createdAt: live.created_at,
    updatedAt: live.updated_at,
  }),
  isArchived: (live: any) => live.archived === true || live.status === "archived",
};
