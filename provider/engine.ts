// The one engine behind every resource kind: check (zod), diff (normalized), and CRUD through
// the sdk client it is given. Kinds only describe themselves (see kinds/kind.ts).
//
// Properties cross from Pulumi as untyped records (`Props`); each function turns them into the
// kind's types once, at its start: inputs through the schema (check), state as an earlier
// `state()` wrote it.
import { APIConnectionError, AuthenticationError, ConflictError, NotFoundError, PermissionDeniedError, type QoderClient } from "../sdk";
import { bodySizeProblems } from "./body-limit";
import { freshKey, looksReplayed, retryAfterRefusal, stableIdempotencyKey } from "./create-key";
import { ProviderError } from "./errors";
import { containsUnknown, isRecord, isUnknown, plain, sameValue } from "./json";
import type { ApiField, CheckProblem, FieldRule, Kind, Lifecycle } from "./kinds/kind";
import { propertyPath } from "./property-path";
import { CREATE_KEY_FIELD, LIFECYCLE_FIELDS, PROVIDER_FIELD, UNSET_DEFAULTS_FIELD } from "./state-keys";

/** Properties as Pulumi passes them to a dynamic provider. */
export type Props = Record<string, unknown>;

/** State as stored: the kind's state plus what the engine keeps beside it. */
export type Stored<S> = S & { [CREATE_KEY_FIELD]?: string; [UNSET_DEFAULTS_FIELD]?: string[] };

type AKind<I extends Lifecycle, S extends Lifecycle, L, R extends Lifecycle> = Kind<I, S, L, R>;

/** Properties as they arrive: an object (Pulumi's records, or state a test built). */
type In = object;

function strip(props: In | undefined): Props {
  const { [PROVIDER_FIELD]: _omit, ...rest } = (props ?? {}) as Props;
  return rest;
}

/** State Pulumi stored is what an earlier `state()` (plus the create key) returned. */
function asState<S>(props: In): Stored<S> {
  return strip(props) as Stored<S>;
}

/** Inputs Pulumi passes to diff, create and update are what `check` returned. */
function asInputs<I>(props: In): I & { [CREATE_KEY_FIELD]?: string } {
  return strip(props) as I & { [CREATE_KEY_FIELD]?: string };
}

/** A typed object as the plain record Pulumi takes. */
function props(o: object): Props {
  return Object.fromEntries(Object.entries(o));
}

function field(o: object, key: string): unknown {
  return (o as Props)[key];
}

function valueAt(obj: unknown, path: PropertyKey[]): unknown {
  let cur: unknown = obj;
  for (const p of path) {
    if (isUnknown(cur)) return cur;
    if (!isRecord(cur) && !Array.isArray(cur)) return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[p];
  }
  return cur;
}

/** valueAt stops at the first unknown on the way, so one walk covers every prefix. */
function underUnknown(obj: unknown, path: PropertyKey[]): boolean {
  return isUnknown(valueAt(obj, path));
}

const isLifecycleField = (k: string) => (LIFECYCLE_FIELDS as readonly string[]).includes(k);

function apiFields<I extends Lifecycle, S extends Lifecycle, L, R extends Lifecycle>(kind: AKind<I, S, L, R>): ApiField<I>[] {
  return Object.keys(kind.fields) as ApiField<I>[];
}

// ---------------------------------------------------------------------------------------------
// check

export interface CheckFailure {
  property: string;
  reason: string;
}

export interface CheckResult {
  inputs: Props;
  failures?: CheckFailure[];
}

const failure = (p: CheckProblem): CheckFailure => ({ property: p.path, reason: `${p.path}: ${p.message}` });

export function check<I extends Lifecycle, S extends Lifecycle, L, R extends Lifecycle>(kind: AKind<I, S, L, R>, olds: In, news: In): CheckResult {
  const { [CREATE_KEY_FIELD]: createKey, ...raw } = strip(news);
  const keep = createKey === undefined ? {} : { [CREATE_KEY_FIELD]: createKey };
  const parsed = kind.schema.safeParse(raw);
  if (!parsed.success) {
    const failures: CheckFailure[] = [];
    for (const issue of parsed.error.issues) {
      if (underUnknown(raw, issue.path)) continue; // resolved at apply time; checked again then
      failures.push(failure({ path: propertyPath(issue.path) || "(inputs)", message: issue.message }));
    }
    return failures.length ? { inputs: { ...raw, ...keep }, failures } : { inputs: { ...raw, ...keep } };
  }
  if (containsUnknown(raw)) return { inputs: { ...props(plain(parsed.data)), ...keep } };

  let inputs = parsed.data;
  const problems: CheckProblem[] = [...(kind.validate?.(inputs) ?? []), ...bodySizeProblems(inputs)];
  if (!problems.length && kind.enrich) {
    try {
      inputs = kind.enrich(inputs, strip(olds));
    } catch (e) {
      const where = isRecord(e) && typeof e.path === "string" ? e.path : "(inputs)";
      problems.push({ path: where, message: e instanceof Error ? e.message : String(e) });
    }
  }
  if (problems.length) return { inputs: { ...raw, ...keep }, failures: problems.map(failure) };
  return { inputs: plain({ ...props(inputs), ...keep }) };
}

// ---------------------------------------------------------------------------------------------
// diff

type Changed<I> = ApiField<I> | "deletionPolicy" | typeof CREATE_KEY_FIELD;

function changes<I extends Lifecycle, S extends Lifecycle, L, R extends Lifecycle>(kind: AKind<I, S, L, R>, olds: Stored<S>, news: I & { [CREATE_KEY_FIELD]?: string }): Changed<I>[] {
  const changed: Changed<I>[] = [];
  for (const key of apiFields(kind)) {
    const desired = news[key];
    if (containsUnknown(desired)) {
      changed.push(key);
      continue;
    }
    const rule: FieldRule<I[typeof key], S> = kind.fields[key];
    if (rule.ignore || (rule.serverDefault && desired === undefined)) continue;
    const actual = field(olds, key);
    if (!(rule.same ? rule.same(desired, actual, olds) : sameValue(desired, actual))) changed.push(key);
  }
  if (news.deletionPolicy !== undefined && olds.deletionPolicy !== news.deletionPolicy) changed.push("deletionPolicy");
  if (news[CREATE_KEY_FIELD] !== undefined && olds[CREATE_KEY_FIELD] !== news[CREATE_KEY_FIELD]) changed.push(CREATE_KEY_FIELD);
  return changed;
}

/** The object's own fields among `changed`: what an update must write. */
function writes<I>(changed: Changed<I>[]): ApiField<I>[] {
  return changed.filter((k): k is ApiField<I> => !isLifecycleField(k));
}

/** Fields whose desired value differs from the last known one, after normalization. */
export function changedFields<I extends Lifecycle, S extends Lifecycle, L, R extends Lifecycle>(kind: AKind<I, S, L, R>, olds: In, news: In): Changed<I>[] {
  return changes(kind, asState<S>(olds), asInputs<I>(news));
}

export interface DiffResult {
  changes?: boolean;
  replaces?: string[];
  deleteBeforeReplace?: boolean;
}

export function diff<I extends Lifecycle, S extends Lifecycle, L, R extends Lifecycle>(kind: AKind<I, S, L, R>, _id: string, oldsRaw: In, newsRaw: In): DiffResult {
  const olds = asState<S>(oldsRaw);
  const news = asInputs<I>(newsRaw);
  const changed = changes(kind, olds, news);
  const archivedDrift = field(olds, "archived") === true; // archive is one way: only a new object converges
  if (!changed.length && !archivedDrift) return { changes: false };

  const replaces: string[] = writes(changed).filter((k) => kind.fields[k].replace);
  if (archivedDrift) replaces.push("archived");
  const result: DiffResult = { replaces };
  if (replaces.length && kind.deleteBeforeReplace) result.deleteBeforeReplace = true;
  // Leaving `changes` undefined makes the engine diff old and new inputs itself, which is what
  // gives previews their per-property detail. We only do that when every change we found is
  // visible in the inputs; drift that lives only in outputs (archived) must say `true`.
  const visible = !archivedDrift && changed.every((k) => !sameValue(field(olds, k), field(news, k)) || containsUnknown(field(news, k)));
  if (!visible) result.changes = true;
  return result;
}

// ---------------------------------------------------------------------------------------------
// create / read / update / delete

const locks = new Map<string, Promise<unknown>>();

/** Serializes writes that share a key (several resources touching one agent, one vault...). */
async function withLock<T>(key: string | undefined, fn: () => Promise<T>): Promise<T> {
  if (!key) return fn();
  const prev = locks.get(key) ?? Promise.resolve();
  const run = prev.catch(() => undefined).then(fn);
  const tail = run.catch(() => undefined);
  locks.set(key, tail);
  try {
    return await run;
  } finally {
    if (locks.get(key) === tail) locks.delete(key);
  }
}

const REFRESH_THEN_UP = "Run `pulumi refresh` to see what changed, then `pulumi up` to apply the program again.";

/** `where`: the resource's Fleet file, when it has one: the message leads with what to edit. */
function describe<I extends Lifecycle, S extends Lifecycle, L, R extends Lifecycle>(kind: AKind<I, S, L, R>, verb: string, id: string | undefined, e: unknown, where?: Lifecycle, client?: QoderClient): ProviderError {
  const what = `${where?.sourceFile ? `${where.sourceFile}: ` : ""}qoder ${kind.title}${id ? ` ${id}` : ""}`;
  if (e instanceof ProviderError) return e;
  if (e instanceof ConflictError && /idempotency key/i.test(e.message)) {
    return new ProviderError(
      `${what}: ${verb} refused with 409 (${e.message}). This request's key was used before with a ` +
        "different body (an interrupted run whose inputs changed since?); nothing was written. Run " +
        "`pulumi refresh`, then `pulumi up` again.",
      { cause: e },
    );
  }
  if (e instanceof ConflictError && verb === "create") {
    return new ProviderError(
      `${what}: create refused with 409 (${e.message}). Something that already exists clashes with ` +
        "this object (the same path or server URL?), so nothing was created. Remove or rename the " +
        "existing one, take it over with `adoptId` where the kind has it, or change the program.",
      { cause: e },
    );
  }
  if (e instanceof ConflictError) {
    return new ProviderError(
      `${what}: ${verb} refused with 409 (${e.message}). The object changed outside Pulumi since the last ` +
        `refresh, so nothing was overwritten. ${REFRESH_THEN_UP}`,
      { cause: e },
    );
  }
  return new ProviderError(`${what}: ${verb} failed: ${e instanceof Error ? e.message : String(e)}${endpointHint(e, client)}`, { cause: e });
}

/**
 * Where the provider was talking, for the failures a wrong endpoint causes (nothing answers, or
 * the token is not known there): the region defaults to cn, which a global account does not use.
 */
function endpointHint(e: unknown, client: QoderClient | undefined): string {
  if (!client || !(e instanceof APIConnectionError || e instanceof AuthenticationError || e instanceof PermissionDeniedError)) return "";
  return ` (base URL ${client.baseUrl}: qoder:region is cn unless set; a qoder.com account needs qoder:region global, or set qoder:baseUrl)`;
}

/**
 * State to store: the kind's, plus the create key (identity, not data: a refresh must keep it)
 * and the server-default fields the program left unset (see state-keys.ts).
 */
function stored<S>(state: S, createKey: string | undefined, unset: string[] = []): Stored<S> {
  const key: { [CREATE_KEY_FIELD]?: string } = createKey === undefined ? {} : { [CREATE_KEY_FIELD]: createKey };
  return plain({ ...state, ...key, ...(unset.length ? { [UNSET_DEFAULTS_FIELD]: unset } : {}) });
}

/** The `serverDefault` fields `inputs` leaves unset. */
function unsetDefaults<I extends Lifecycle, S extends Lifecycle, L, R extends Lifecycle>(kind: AKind<I, S, L, R>, inputs: object): string[] {
  return apiFields(kind).filter((k) => kind.fields[k].serverDefault && field(inputs, k) === undefined);
}

export interface Created<S> {
  id: string;
  outs: Stored<S>;
}

/** What the kind's methods get: inputs without the engine's create key. */
function ownInputs<I>(inputs: I & { [CREATE_KEY_FIELD]?: string }): I {
  const { [CREATE_KEY_FIELD]: _key, ...own } = inputs;
  return own as I;
}

export async function create<I extends Lifecycle, S extends Lifecycle, L, R extends Lifecycle>(client: QoderClient, kind: AKind<I, S, L, R>, rawInputs: In): Promise<Created<S>> {
  const all = asInputs<I>(rawInputs);
  const createKey = all[CREATE_KEY_FIELD];
  const inputs = ownInputs(all);
  if (inputs.adoptId) return adopt(client, kind, inputs.adoptId, inputs, createKey);
  const body = Object.fromEntries(Object.entries(inputs).filter(([k]) => !isLifecycleField(k))) as Omit<I, keyof Lifecycle>;
  const key = stableIdempotencyKey(createKey, kind.name, kind.keyBody ? kind.keyBody(body) : body);
  let live: L;
  try {
    const started = Date.now();
    let replayed = false;
    try {
      live = await kind.create(client, inputs, { idempotencyKey: key, onSuccess: (r) => (replayed ||= r.replayed) });
    } catch (e) {
      if (!retryAfterRefusal(e)) throw e;
      // The refusal may be a stored answer about a cause that is gone (see create-key.ts).
      live = await kind.create(client, inputs, { idempotencyKey: freshKey(key) });
    }
    // The header says so when the server sends it; an old createdAt catches servers that do not.
    const first = kind.state(inputs, live, undefined);
    replayed ||= looksReplayed(field(first, "createdAt"), started);
    if (replayed && !(await stillUsable(client, kind, idOfState(kind, first), inputs))) {
      live = await kind.create(client, inputs, { idempotencyKey: freshKey(key) });
    }
  } catch (e) {
    throw describe(kind, "create", undefined, e, inputs, client);
  }
  const state = kind.state(inputs, live, undefined);
  return { id: idOfState(kind, state), outs: stored(state, createKey, unsetDefaults(kind, inputs)) };
}

/** The API id, as the kind's id output carries it. */
function idOfState<I extends Lifecycle, S extends Lifecycle, L, R extends Lifecycle>(kind: AKind<I, S, L, R>, state: S): string {
  const id = state[kind.idOutput];
  if (typeof id !== "string") throw new ProviderError(`qoder ${kind.title}: the API answered without an object id`);
  return id;
}

/** Is a replayed object (from an interrupted earlier run) still there to take over? */
async function stillUsable<I extends Lifecycle, S extends Lifecycle, L, R extends Lifecycle>(client: QoderClient, kind: AKind<I, S, L, R>, id: string, inputs: I): Promise<boolean> {
  try {
    const live = await kind.get(client, id, inputs);
    return !kind.isArchived?.(live);
  } catch (e) {
    if (!(e instanceof NotFoundError)) throw e;
    await client.checkApi(); // a second object is made next: be sure the URL is the API's
    return false;
  }
}

/** Takes over an existing object: read it, update it to match the program, manage it. */
async function adopt<I extends Lifecycle, S extends Lifecycle, L, R extends Lifecycle>(
  client: QoderClient,
  kind: AKind<I, S, L, R>,
  id: string,
  inputs: I,
  createKey: string | undefined,
): Promise<Created<S>> {
  let live: L;
  try {
    live = await (kind.adoptRead ? kind.adoptRead(client, id, inputs) : kind.get(client, id, inputs));
  } catch (e) {
    if (e instanceof NotFoundError) throw new ProviderError(`qoder ${kind.title}: adoptId ${id} was not found, so there is nothing to adopt`);
    throw describe(kind, "adopt (read)", id, e, inputs, client);
  }
  if (kind.isArchived?.(live)) {
    throw new ProviderError(`qoder ${kind.title}: adoptId ${id} is archived; archived objects cannot be changed or adopted`);
  }
  // The object as it is, seen the way a refresh would store it.
  const current = kind.state(kind.toInputs(live, inputs), live, undefined);
  const changed = writes(changes(kind, current, inputs));
  if (!changed.length) return { id, outs: stored(kind.state(inputs, live, current), createKey, unsetDefaults(kind, inputs)) };
  // Adoption takes an object over; it never replaces one (that would be a create, not adoption).
  const fixed = changed.filter((k) => kind.fields[k].replace);
  if (fixed.length) {
    throw new ProviderError(
      `qoder ${kind.title}: adoptId ${id} differs in ${fixed.join(", ")}, which cannot change in place; make the program match the object, or drop adoptId to create a new one`,
    );
  }
  try {
    const state = await withLock(kind.lockKey?.(id, current), () => kind.update(client, id, current, inputs, changed));
    return { id, outs: stored(state, createKey, unsetDefaults(kind, inputs)) };
  } catch (e) {
    throw describe(kind, "adopt (update)", id, e, inputs, client);
  }
}

export interface ReadResult<S, R> {
  id?: string;
  props?: Stored<S>;
  inputs?: R;
}

export async function read<I extends Lifecycle, S extends Lifecycle, L, R extends Lifecycle>(client: QoderClient, kind: AKind<I, S, L, R>, id: string, rawProps: In): Promise<ReadResult<S, R>> {
  const props = asState<S>(rawProps);
  let live: L;
  try {
    live = await kind.get(client, id, props);
  } catch (e) {
    // Only the API's own not-found means gone (any other 404 is an error naming the URL); and
    // before state forgets the object, check once per process that the URL is the Qoder API.
    if (!(e instanceof NotFoundError)) throw describe(kind, "read", id, e, props, client);
    await client.checkApi().catch((check: unknown) => Promise.reject(describe(kind, "read", id, check, props, client)));
    return {}; // gone: the engine drops it from state
  }
  // Lifecycle settings are not part of the live object: carry them over from state.
  const lifecycle = pick(props, LIFECYCLE_FIELDS);
  const unset = Array.isArray(props[UNSET_DEFAULTS_FIELD]) ? props[UNSET_DEFAULTS_FIELD] : [];
  const read = Object.entries(kind.toInputs(live, props)).filter(([k]) => !unset.includes(k));
  const inputs = plain({ ...Object.fromEntries(read), ...lifecycle }) as R;
  return { id, props: stored(kind.state(inputs, live, props), props[CREATE_KEY_FIELD], unset), inputs };
}

export async function update<I extends Lifecycle, S extends Lifecycle, L, R extends Lifecycle>(client: QoderClient, kind: AKind<I, S, L, R>, id: string, oldsRaw: In, newsRaw: In): Promise<{ outs: Stored<S> }> {
  await kind.prepareCompare?.(oldsRaw ?? {}, newsRaw ?? {});
  const olds = asState<S>(oldsRaw);
  const all = asInputs<I>(newsRaw);
  const news = ownInputs(all);
  const changed = writes(changes(kind, olds, all));
  const createKey = all[CREATE_KEY_FIELD];
  if (!changed.length) {
    // Only lifecycle settings changed: no API write, just record them.
    const outs: Stored<S> = plain({ ...olds, ...pick(all, LIFECYCLE_FIELDS) });
    const unset = unsetDefaults(kind, news);
    if (unset.length) outs[UNSET_DEFAULTS_FIELD] = unset;
    else delete outs[UNSET_DEFAULTS_FIELD];
    return { outs };
  }
  try {
    const state = await withLock(kind.lockKey?.(id, olds), () => kind.update(client, id, olds, news, changed));
    return { outs: stored(state, createKey, unsetDefaults(kind, news)) };
  } catch (e) {
    throw describe(kind, "update", id, e, news, client);
  }
}

export async function remove<I extends Lifecycle, S extends Lifecycle, L, R extends Lifecycle>(client: QoderClient, kind: AKind<I, S, L, R>, id: string, rawProps: In): Promise<void> {
  const props = asState<S>(rawProps);
  const policy = props.deletionPolicy ?? kind.deletion.default;
  try {
    await withLock(kind.lockKey?.(id, props), async () => {
      if (policy === "archive" && kind.deletion.canArchive && kind.archive) {
        if (field(props, "archived") === true) return;
        try {
          await kind.archive(client, id, props);
        } catch (e) {
          if (e instanceof ConflictError) return; // already archived
          throw e;
        }
      } else {
        await kind.destroy(client, id, props);
      }
    });
  } catch (e) {
    if (e instanceof NotFoundError) return; // already gone: the API's own not-found, never a wrong URL's 404
    throw describe(kind, policy === "archive" ? "archive" : "delete", id, e, props, client);
  }
}

function pick(o: object, keys: readonly string[]): Props {
  const out: Props = {};
  for (const k of keys) if (field(o, k) !== undefined) out[k] = field(o, k);
  return out;
}
