import type { RequestOptions } from "../options";
import { EnvironmentSchema, type Environment, type EnvironmentCreate, type EnvironmentUpdate } from "../schemas/environment";
import type { Transport } from "../transport";
import { TopLevelResource, path } from "./collection";

/** Delete answers 204; archived environments cannot host new sessions. */
export class Environments extends TopLevelResource<Environment, EnvironmentCreate> {
  constructor(t: Transport) {
    super(t, "environments", EnvironmentSchema);
  }

  /** PUT; `config` replaces the stored config, metadata is a patch (`null` or `""` deletes a key). */
  update(id: string, body: EnvironmentUpdate, o?: RequestOptions): Promise<Environment> {
    return this.c.update("PUT", path(this.base, id), body, o);
  }
}
