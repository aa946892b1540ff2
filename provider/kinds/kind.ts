// A resource kind is described once: its input schema (validation + defaults), how each field
// is compared, which fields force replacement, and thin API calls. The engine does the rest.
import type { z } from "zod";
import type { QoderClient } from "../../sdk";

export type Inputs = Record<string, any>;
export type Outputs = Record<string, any>;
export type DeletionPolicy = "delete" | "archive";

export interface CreateOptions {
  idempotencyKey: string;
  /** Passed through to the sdk: tells the engine when a create was answered by a replay. */
  onSuccess?: (info: { replayed: boolean }) => void;
}

export interface FieldRule {
  /** Changing this field cannot be done in place. */
  replace?: boolean;
  /** Left unset by the program, the server decides the value: unset is not compared. */
  serverDefault?: boolean;
  /** Never drives an update by itself (e.g. a local path whose content is hashed elsewhere). */
  ignore?: boolean;
  /** Custom equality of desired vs last-known value (default: canonical JSON equality). */
  same?: (desired: any, actual: any, olds: Outputs) => boolean;
}

export interface CheckProblem {
  path: string;
  message: string;
}

export interface Kind<L = any> {
  /** Short name used by the shim and in messages, e.g. "agent". */
  name: string;
  /** Type name shown by the engine: pulumi-nodejs:dynamic/qoder:<title>. */
  title: string;
  /** Output property that carries the API id (`id` itself is reserved by Pulumi). */
  idOutput: string;
  schema: z.ZodType<Inputs>;
  /** Every managed input field, with how it is compared. */
  fields: Record<string, FieldRule>;
  deletion: { default: DeletionPolicy; canArchive: boolean };
  /** Unique keys (e.g. a credential's server URL) mean the old object must go first. */
  deleteBeforeReplace?: boolean;
  /** Checks that need the whole (known) input object: cross-references, files. */
  validate?(inputs: Inputs): CheckProblem[];
  /** Inputs computed locally during check, e.g. a skill directory's content hash. */
  enrich?(inputs: Inputs): Inputs;
  /**
   * The create body as it seeds the Idempotency-Key. The key travels in a header and lands in
   * server logs, so kinds with secrets in the body replace them by a slow digest here.
   */
  keyBody?(body: Inputs): Inputs;
  /** Objects that share one write path (e.g. an agent's versioned updates) are serialized. */
  lockKey?(id: string, props: Outputs): string;

  /** One POST (plus sub-objects where needed), carrying `opts.idempotencyKey`. */
  create(c: QoderClient, inputs: Inputs, opts: CreateOptions): Promise<L>;
  /** Throws the sdk's NotFoundError when the object is gone. */
  get(c: QoderClient, id: string, props: Outputs): Promise<L>;
  update(c: QoderClient, id: string, olds: Outputs, news: Inputs, changed: string[]): Promise<L>;
  archive?(c: QoderClient, id: string, props: Outputs): Promise<unknown>;
  destroy(c: QoderClient, id: string, props: Outputs): Promise<unknown>;

  /** The live object seen as program inputs; `prev` supplies what the API cannot return. */
  toInputs(live: L, prev: Outputs): Inputs;
  /** Outputs: by default the inputs plus `computed`; kinds with secrets override. */
  outputs?(inputs: Inputs, live: L, prev: Outputs): Outputs;
  computed(live: L): Outputs;
  isArchived?(live: L): boolean;
}
