// A resource kind, in the spirit of pulumi-go-provider's `infer`: its typed inputs `I` (the zod
// schema's output), its typed state `S` (what Pulumi stores as outputs), the sdk's live type `L`,
// and lifecycle functions between them. The engine does the rest (check, diff, CRUD).
import type { z } from "zod";
import type { QoderClient, RequestOptions } from "../../sdk";

export type DeletionPolicy = "delete" | "archive";

/** Inputs about the lifecycle, not the object (see state-keys.ts). */
export interface Lifecycle {
  deletionPolicy: DeletionPolicy;
  adoptId?: string;
  /** The Fleet file the resource comes from (schemas.ts `sourceFile`). */
  sourceFile?: string;
}

export interface CreateOptions {
  idempotencyKey: string;
  /** Passed through to the sdk: tells the engine when a create was answered by a replay. */
  onSuccess?: RequestOptions["onSuccess"];
}

export interface FieldRule<V, S> {
  /** Changing this field cannot be done in place. */
  replace?: boolean;
  /** Left unset by the program, the server decides the value: unset is not compared. */
  serverDefault?: boolean;
  /** Never drives an update by itself (e.g. a local path whose content is hashed elsewhere). */
  ignore?: boolean;
  /** Custom equality of desired vs last-known value (default: canonical JSON equality). */
  same?(desired: V, actual: unknown, olds: S): boolean;
  /** How the value is sent, where it is not the snake_case form of the input (casing.ts). */
  toApi?(value: V): unknown;
}

/** The object's own input fields: everything but the lifecycle settings. */
export type ApiField<I> = Exclude<keyof I, keyof Lifecycle> & string;

/** A rule for every API field: a field left out is a compile error. */
export type FieldRules<I, S> = { [K in ApiField<I>]-?: FieldRule<I[K], S> };

/** State keys that are not inputs: the outputs a resource class seeds and exposes. */
export type OutputKey<I, S> = Exclude<keyof S, keyof I> & string;
export type OutputNames<I, S> = { [K in OutputKey<I, S>]-?: true };

export interface CheckProblem {
  path: string;
  message: string;
}

/**
 * `I` inputs, `S` state, `L` the sdk's live object, `R` the inputs as read back from the API:
 * `I` unless write-only fields (tokens) come back absent.
 */
export interface Kind<I extends Lifecycle, S extends Lifecycle, L, R extends Lifecycle = I> {
  /** Short name used by the shim and in messages, e.g. "agent". */
  name: string;
  /** Type name shown by the engine: pulumi-nodejs:dynamic/qoder:<title>. */
  title: string;
  /** Output property that carries the API id (`id` itself is reserved by Pulumi). */
  idOutput: keyof S & string;
  schema: z.ZodType<I>;
  /** How each input is compared; a field without a rule does not compile. */
  fields: FieldRules<I, S>;
  /** Every output that is not an input, declared once (seeded by the resource class). */
  outputs: OutputNames<I, S>;
  deletion: { default: DeletionPolicy; canArchive: boolean };
  /** Unique keys (e.g. a credential's server URL) mean the old object must go first. */
  deleteBeforeReplace?: boolean;
  /** Checks that need the whole (known) input object: cross-references, files. */
  validate?(inputs: I): CheckProblem[];
  /**
   * Inputs computed locally during check, e.g. a skill directory's content hash. `olds`: the
   * previous inputs (Pulumi's, untyped; empty on create), for values that carry over.
   */
  enrich?(inputs: I, olds: Record<string, unknown>): I;
  /**
   * The create body as it seeds the Idempotency-Key. The key travels in a header and lands in
   * server logs, so kinds with secrets in the body replace them by a slow digest here.
   */
  keyBody?(body: Omit<I, keyof Lifecycle>): unknown;
  /**
   * Slow work the comparison rules will need (token digests), done before diff and update
   * without blocking the process: parallel operations must not queue behind it. Raw props: the
   * rules then run on the typed ones and find the work memoized.
   */
  prepareCompare?(olds: object, news: object): Promise<void>;
  /** Objects that share one write path (e.g. an agent's versioned updates) are serialized. */
  lockKey?(id: string, props: S): string;

  /** One POST (plus sub-objects where needed), carrying `opts.idempotencyKey`. */
  create(c: QoderClient, inputs: I, opts: CreateOptions): Promise<L>;
  /** Throws the sdk's NotFoundError when the object is gone; `parent` holds a parent id where needed. */
  get(c: QoderClient, id: string, parent: I | S): Promise<L>;
  /**
   * Adoption's read (default `get`), for kinds whose live object cannot be compared as it comes:
   * a skill's zip digest differs from this provider's for the same files, so it compares files.
   */
  adoptRead?(c: QoderClient, id: string, inputs: I): Promise<L>;
  /** Writes the changed fields and answers the new state, from what was sent and what came back. */
  update(c: QoderClient, id: string, olds: S, news: I, changed: ApiField<I>[]): Promise<S>;
  archive?(c: QoderClient, id: string, props: S): Promise<unknown>;
  destroy(c: QoderClient, id: string, props: S): Promise<unknown>;

  /**
   * The live object seen as program inputs; `prev` supplies what the API cannot return. On
   * adoption `prev` is the program's inputs: a write-only value given there (a token) stands.
   */
  toInputs(live: L, prev: Partial<I | S>): R;
  /** The state after `live` was created or read with `inputs`; `prev` keeps what the API hides. */
  state(inputs: I | R, live: L, prev: S | undefined): S;
  isArchived?(live: L): boolean;
}

/** Any kind, as the registry and the shim's string names see them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- erases the three parameters at the registry; every kind is checked where it is declared
export type AnyKind = Kind<any, any, any, any>;
