// Update-body builders shared by the kinds, following the documented update semantics:
// omitted fields are kept, null clears, lists are replaced whole, metadata is a patch.
import { isEmpty } from "../json";

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
