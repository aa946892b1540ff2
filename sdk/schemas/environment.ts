import { z } from "zod";
import { OptString, ResponseMetadata, archivable, identity, timestamps, type MetadataPatch } from "./common";

/** Newest docs require an object; older guides allowed a string shorthand, tolerated in responses. */
export const NetworkingSchema = z.union([
  z.string(),
  z.looseObject({
    type: z.string(),
    allow_package_managers: z.boolean().optional(),
    allowed_hosts: z.array(z.string()).optional(),
  }),
]);

export const EnvironmentConfigSchema = z.looseObject({
  type: z.string(),
  networking: NetworkingSchema.nullable().optional(),
  packages: z
    .looseObject({
      apt: z.array(z.string()).optional(),
      pip: z.array(z.string()).optional(),
      npm: z.array(z.string()).optional(),
    })
    .nullable()
    .optional(),
  setup_script: OptString,
});
export type EnvironmentConfig = z.infer<typeof EnvironmentConfigSchema>;

export const EnvironmentSchema = z.looseObject({
  ...identity,
  name: z.string(),
  description: OptString,
  config: EnvironmentConfigSchema,
  metadata: ResponseMetadata,
  ...archivable,
  ...timestamps,
});
export type Environment = z.infer<typeof EnvironmentSchema>;

export interface EnvironmentCreate {
  name: string;
  description?: string;
  config: EnvironmentConfig;
  metadata?: Record<string, string>;
  [extra: string]: unknown;
}

/** Sent as given: `config` replaces the stored config, metadata is a patch (`null` deletes). */
export interface EnvironmentUpdate {
  name?: string;
  description?: string | null;
  config?: EnvironmentConfig;
  metadata?: MetadataPatch | null;
  [extra: string]: unknown;
}
