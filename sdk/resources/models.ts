import type { RequestOptions } from "../options";
import { ModelListSchema, type Model } from "../schemas/model";
import type { Transport } from "../transport";

export class Models {
  readonly #t: Transport;

  constructor(t: Transport) {
    this.#t = t;
  }

  /** The caller's enabled models; the endpoint is not paginated. */
  async list(o?: RequestOptions): Promise<Model[]> {
    const res = await this.#t.json({ method: "GET", path: "/models", options: o }, ModelListSchema);
    return res.data;
  }
}
