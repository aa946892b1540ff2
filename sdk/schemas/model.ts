import { z } from "zod";
import { identity } from "./common";

export const ModelSchema = z.looseObject({
  ...identity,
  display_name: z.string().optional(),
  source: z.string().optional(),
  is_enabled: z.boolean().optional(),
  is_new: z.boolean().optional(),
  price_factor: z.number().optional(),
  efforts: z.array(z.string()).optional(),
  default_effort: z.string().optional(),
});
export type Model = z.infer<typeof ModelSchema>;

/** `/models` is not paginated: `{data, has_more:false}`. */
export const ModelListSchema = z.looseObject({ data: z.array(ModelSchema) });
