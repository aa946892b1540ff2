// Request bodies built from a kind's field list, following the documented update semantics:
// omitted fields are kept, null clears, lists are replaced whole, metadata is a patch. The API
// name of a field is its snake_case (casing.ts); a rule's `toApi` says where the value differs.
import { toApi, toApiKey } from "../casing";
import { isEmpty } from "../json";
import type { ApiField, FieldRules } from "./kind";

/** Metadata patch from last-known to desired: changed/new keys upsert, removed keys are null. */
export function metadataPatch(
  current: Record<string, string> | undefined,
  desired: Record<string, string> | undefined,
): Record<string, string | null> {
  const patch: Record<string, string | null> = {};
  for (const k of Object.keys(current ?? {})) if (!(desired && k in desired)) patch[k] = null;
  for (const [k, v] of Object.entries(desired ?? {})) if (current?.[k] !== v) patch[k] = v;
  return patch;
}

/** A cleared value ("" or []) is sent as an explicit null. */
export function clearable<T>(v: T): T | null {
  return isEmpty(v) ? null : v;
}

function apiValue<I, S, K extends ApiField<I>>(rules: FieldRules<I, S>, key: K, value: I[K]): unknown {
  const rule = rules[key];
  // Mapped under its own key, so that user-owned maps (metadata) stay as they are.
  return rule.toApi ? rule.toApi(value) : toApi<Record<string, unknown>>({ [key]: value })[toApiKey(key)];
}

/** A create body: every API field the program set (empty values are left to the server). */
export function createBody<I, S>(rules: FieldRules<I, S>, inputs: I): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const key of Object.keys(rules) as ApiField<I>[]) {
    if (!isEmpty(inputs[key])) body[toApiKey(key)] = apiValue(rules, key, inputs[key]);
  }
  return body;
}

/** A minimal update body: the changed fields, cleared ones null, metadata as a patch. */
export function updateBody<I extends { metadata: Record<string, string> }, S extends { metadata: Record<string, string> }>(
  rules: FieldRules<I, S>,
  olds: S,
  news: I,
  changed: ApiField<I>[],
): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const key of changed) {
    body[toApiKey(key)] = key === "metadata" ? metadataPatch(olds.metadata, news.metadata) : clearable(apiValue(rules, key, news[key]));
  }
  return body;
}
