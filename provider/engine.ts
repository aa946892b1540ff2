// The one engine behind every resource kind: check (zod), diff (normalized), and CRUD through
// the sdk. Kinds only describe themselves (see kinds/kind.ts).
import { randomUUID } from "node:crypto";
import { APIError, ConflictError, NotFoundError } from "../sdk";
import { getClient } from "./config";
import type { CheckProblem, Inputs, Kind, Outputs } from "./kinds/kind";
import { CREATE_KEY_FIELD, freshKey, looksReplayed, retryAfterRefusal, stableIdempotencyKey } from "./create-key";
import { containsUnknown, isRecord, isUnknown, plain, sameValue } from "./json";

const PROVIDER_KEY = "__provider";
/** Inputs about the lifecycle, not the object: they never reach the API. */
const LIFECYCLE_FIELDS = ["deletionPolicy", "adoptId", CREATE_KEY_FIELD];

function strip(props: Record<string, any> | undefined): Record<string, any> {
  const { [PROVIDER_KEY]: _omit, ...rest } = props ?? {};
  return rest;
}

function valueAt(obj: unknown, path: PropertyKey[]): unknown {
  let cur: unknown = obj;
  for (const p of path) {
    if (isUnknown(cur)) return cur;
    if (!isRecord(cur) && !Array.isArray(cur)) return undefined;
    cur = (cur as any)[p as any];
  }
  return cur;
}

/** Pulumi property path syntax: tools[2].mcpServerName */
export function propertyPath(path: PropertyKey[]): string {
  return path.reduce<string>((acc, p) => (typeof p === "number" ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)), "");
}

/** valueAt stops at the first unknown on the way, so one walk covers every prefix. */
function underUnknown(obj: unknown, path: PropertyKey[]): boolean {
  return isUnknown(valueAt(obj, path));
}

// ---------------------------------------------------------------------------------------------
// check

export interface CheckFailure {
  property: string;
  reason: string;
}

export function check(kind: Kind, _olds: Inputs, news: Inputs): { inputs: Inputs; failures?: CheckFailure[] } {
  const { [CREATE_KEY_FIELD]: createKey, ...raw } = strip(news);
  const keep = createKey === undefined ? {} : { [CREATE_KEY_FIELD]: createKey };
  const parsed = kind.schema.safeParse(raw);
  const failures: CheckFailure[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      if (underUnknown(raw, issue.path)) continue; // resolved at apply time; checked again then
      const property = propertyPath(issue.path) || "(inputs)";
      failures.push({ property, reason: `${property}: ${issue.message}` });
    }
  }
  if (failures.length) return { inputs: { ...raw, ...keep }, failures };
  if (!parsed.success || containsUnknown(raw)) return { inputs: { ...(parsed.success ? plain(parsed.data) : raw), ...keep } };

  let inputs = parsed.data;
  const problems: CheckProblem[] = [...(kind.validate?.(inputs) ?? []), ...bodySizeProblems(inputs)];
  if (!problems.length && kind.enrich) {
    try {
      inputs = kind.enrich(inputs);
    } catch (e) {
      problems.push({ path: (e as any).path ?? "(inputs)", message: (e as Error).message });
    }
  }
  if (problems.length) {
    return { inputs: { ...raw, ...keep }, failures: problems.map((p) => ({ property: p.path, reason: `${p.path}: ${p.message}` })) };
  }
  return { inputs: plain({ ...inputs, ...keep }) };
}

/** The API refuses (in fact truncates) bodies over 4 MB: say so in preview, naming the field. */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;

function bodySizeProblems(inputs: Inputs): CheckProblem[] {
  const size = Buffer.byteLength(JSON.stringify(inputs));
  if (size <= MAX_BODY_BYTES) return [];
  const [largest] = Object.entries(inputs)
    .map(([k, v]) => [k, Buffer.byteLength(JSON.stringify(v ?? null))] as const)
    .sort((a, b) => b[1] - a[1]);
  const mb = (n: number) => `${(n / 1048576).toFixed(1)} MB`;
  return [{ path: largest[0], message: `the request would be ${mb(size)} (this field ${mb(largest[1])}); Qoder refuses bodies over 4 MB` }];
}

// ---------------------------------------------------------------------------------------------
// diff

/** Fields whose desired value differs from the last known one, after normalization. */
export function changedFields(kind: Kind, olds: Outputs, news: Inputs): string[] {
  const changed: string[] = [];
  for (const [key, rule] of Object.entries(kind.fields)) {
    const desired = news[key];
    if (containsUnknown(desired)) {
      changed.push(key);
      continue;
    }
    if (rule.ignore || (rule.serverDefault && desired === undefined)) continue;
    const same = rule.same ? rule.same(desired, olds[key], olds) : sameValue(desired, olds[key]);
    if (!same) changed.push(key);
  }
  if (news.deletionPolicy !== undefined && olds.deletionPolicy !== news.deletionPolicy) changed.push("deletionPolicy");
  if (news[CREATE_KEY_FIELD] !== undefined && olds[CREATE_KEY_FIELD] !== news[CREATE_KEY_FIELD]) changed.push(CREATE_KEY_FIELD);
  return changed;
}

export interface DiffResult {
  changes?: boolean;
  replaces?: string[];
  deleteBeforeReplace?: boolean;
}

export function diff(kind: Kind, _id: string, oldsRaw: Outputs, newsRaw: Inputs): DiffResult {
  const olds = strip(oldsRaw);
  const news = strip(newsRaw);
  const changed = changedFields(kind, olds, news);
  const archivedDrift = olds.archived === true; // archive is one way: only a new object converges
  if (!changed.length && !archivedDrift) return { changes: false };

  const replaces = changed.filter((k) => kind.fields[k]?.replace);
  if (archivedDrift) replaces.push("archived");
  const result: DiffResult = { replaces };
  if (replaces.length && kind.deleteBeforeReplace) result.deleteBeforeReplace = true;
  // Leaving `changes` undefined makes the engine diff old and new inputs itself, which is what
  // gives previews their per-property detail. We only do that when every change we found is
  // visible in the inputs; drift that lives only in outputs (archived) must say `true`.
  const visible = !archivedDrift && changed.every((k) => !sameValue(olds[k], news[k]) || containsUnknown(news[k]));
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

function describe(kind: Kind, verb: string, id: string | undefined, e: unknown): Error {
  const what = `qoder ${kind.title}${id ? ` ${id}` : ""}`;
  if (e instanceof ConflictError && /idempotency key/i.test(e.message)) {
    return new Error(
      `${what}: ${verb} refused with 409 (${e.message}). This request's key was used before with a ` +
        "different body (an interrupted run whose inputs changed since?); nothing was written. Run " +
        "`pulumi refresh`, then `pulumi up` again.",
    );
  }
  if (e instanceof ConflictError) {
    return new Error(
      `${what}: ${verb} refused with 409 (${e.message}). The object changed outside Pulumi since the last ` +
        "refresh, so nothing was overwritten. Run `pulumi refresh` to see what changed, then `pulumi up` " +
        "to apply the program again.",
    );
  }
  if (e instanceof APIError || e instanceof Error) return new Error(`${what}: ${verb} failed: ${e.message}`);
  return new Error(`${what}: ${verb} failed: ${String(e)}`);
}

export function outputsOf(kind: Kind, inputs: Inputs, live: any, prev: Outputs): Outputs {
  const outs = kind.outputs ? kind.outputs(inputs, live, prev) : { ...inputs, ...kind.computed(live) };
  // The create key is identity, not data: kinds that shape their own outputs (vaults, credentials)
  // must keep it too, or a refresh drops it and every later preview shows an update.
  if (inputs[CREATE_KEY_FIELD] !== undefined) outs[CREATE_KEY_FIELD] = inputs[CREATE_KEY_FIELD];
  return plain(outs);
}

export async function create(kind: Kind, rawInputs: Inputs): Promise<{ id: string; outs: Outputs }> {
  const inputs = strip(rawInputs);
  const c = getClient();
  if (inputs.adoptId) return adopt(kind, inputs.adoptId, inputs);
  const body = Object.fromEntries(Object.entries(inputs).filter(([k]) => !LIFECYCLE_FIELDS.includes(k)));
  const key = stableIdempotencyKey(inputs[CREATE_KEY_FIELD], kind.name, kind.keyBody ? kind.keyBody(body) : body);
  let live: any;
  try {
    const started = Date.now();
    let replayed = false;
    try {
      live = await kind.create(c, inputs, { idempotencyKey: key, onSuccess: (r) => (replayed ||= r.replayed) });
    } catch (e) {
      if (!retryAfterRefusal(e)) throw e;
      // The refusal may be a stored answer about a cause that is gone (see create-key.ts).
      live = await kind.create(c, inputs, { idempotencyKey: freshKey(key) });
    }
    // The header says so when the server sends it; an old createdAt catches servers that do not.
    replayed ||= looksReplayed(outputsOf(kind, inputs, live, {}).createdAt, started);
    if (replayed && !(await stillUsable(kind, live.id, inputs))) {
      live = await kind.create(c, inputs, { idempotencyKey: freshKey(key) });
    }
  } catch (e) {
    throw describe(kind, "create", undefined, e);
  }
  return { id: live.id, outs: outputsOf(kind, inputs, live, {}) };
}

/** Is a replayed object (from an interrupted earlier run) still there to take over? */
async function stillUsable(kind: Kind, id: string, inputs: Inputs): Promise<boolean> {
  try {
    const live = await kind.get(getClient(), id, inputs);
    return !kind.isArchived?.(live);
  } catch (e) {
    if (!(e instanceof NotFoundError)) throw e;
    await getClient().checkApi(); // a second object is made next: be sure the URL is the API's
    return false;
  }
}

/** Takes over an existing object: read it, update it to match the program, manage it. */
async function adopt(kind: Kind, id: string, inputs: Inputs): Promise<{ id: string; outs: Outputs }> {
  const c = getClient();
  let live: any;
  try {
    live = await kind.get(c, id, inputs);
  } catch (e) {
    if (e instanceof NotFoundError) {
      throw new Error(`qoder ${kind.title}: adoptId ${id} was not found, so there is nothing to adopt`);
    }
    throw describe(kind, "adopt (read)", id, e);
  }
  if (kind.isArchived?.(live)) {
    throw new Error(`qoder ${kind.title}: adoptId ${id} is archived; archived objects cannot be changed or adopted`);
  }
  const current = outputsOf(kind, kind.toInputs(live, inputs), live, inputs);
  const changed = changedFields(kind, current, inputs).filter((k) => !LIFECYCLE_FIELDS.includes(k));
  if (changed.length) {
    try {
      live = await withLock(kind.lockKey?.(id, current), () => kind.update(c, id, current, inputs, changed));
    } catch (e) {
      throw describe(kind, "adopt (update)", id, e);
    }
  }
  return { id, outs: outputsOf(kind, inputs, live, current) };
}

export async function read(kind: Kind, id: string, rawProps: Outputs): Promise<{ id?: string; props?: Outputs; inputs?: Inputs }> {
  const props = strip(rawProps);
  let live: any;
  try {
    live = await kind.get(getClient(), id, props);
  } catch (e) {
    // Only the API's own not-found means gone (any other 404 is an error naming the URL); and
    // before state forgets the object, check once per process that the URL is the Qoder API.
    if (!(e instanceof NotFoundError)) throw describe(kind, "read", id, e);
    await getClient().checkApi().catch((check: unknown) => Promise.reject(describe(kind, "read", id, check)));
    return {}; // gone: the engine drops it from state
  }
  // Lifecycle settings are not part of the live object: carry them over from state.
  const inputs = plain({ ...kind.toInputs(live, props), ...pick(props, LIFECYCLE_FIELDS) });
  return { id, props: outputsOf(kind, inputs, live, props), inputs };
}

export async function update(kind: Kind, id: string, oldsRaw: Outputs, newsRaw: Inputs): Promise<{ outs: Outputs }> {
  const olds = strip(oldsRaw);
  const news = strip(newsRaw);
  const changed = changedFields(kind, olds, news).filter((k) => !LIFECYCLE_FIELDS.includes(k));
  let live: any;
  if (!changed.length) {
    // Only lifecycle settings changed: no API write, just record them.
    return { outs: plain({ ...olds, ...pick(news, LIFECYCLE_FIELDS) }) };
  }
  try {
    live = await withLock(kind.lockKey?.(id, olds), () => kind.update(getClient(), id, olds, news, changed));
  } catch (e) {
    throw describe(kind, "update", id, e);
  }
  return { outs: outputsOf(kind, news, live, olds) };
}

export async function remove(kind: Kind, id: string, rawProps: Outputs): Promise<void> {
  const props = strip(rawProps);
  const policy = props.deletionPolicy ?? kind.deletion.default;
  const c = getClient();
  try {
    await withLock(kind.lockKey?.(id, props), async () => {
      if (policy === "archive" && kind.deletion.canArchive && kind.archive) {
        if (props.archived === true) return;
        try {
          await kind.archive(c, id, props);
        } catch (e) {
          if (e instanceof ConflictError) return; // already archived
          throw e;
        }
      } else {
        await kind.destroy(c, id, props);
      }
    });
  } catch (e) {
    if (e instanceof NotFoundError) return; // already gone: the API's own not-found, never a wrong URL's 404
    throw describe(kind, policy === "archive" ? "archive" : "delete", id, e);
  }
}

function pick(o: Record<string, any>, keys: string[]): Record<string, any> {
  const out: Record<string, any> = {};
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out;
}
