import { badRequest, conflict, notFound } from "../errors";
import { nowIso } from "../ids";
import * as v from "../validate";

/** The object with `id` in `map`, or the documented 404 "<Kind> '<id>' was not found.". */
export function find<T>(map: Record<string, T>, id: string, kind: string, belongs: (item: T) => boolean = () => true): T {
  // Own keys only: an id such as `constructor` must not find Object.prototype's members.
  const item = Object.hasOwn(map, id) ? map[id] : undefined;
  if (!item || !belongs(item)) throw notFound(kind, id);
  return item;
}

interface Archivable {
  id: string;
  status: string;
  archived_at: string | null;
  updated_at: string;
  archived?: boolean;
}

/** One-way archive shared by environments, vaults, credentials and memory stores: twice → 409. */
export function archive<T extends Archivable>(item: T, kind: string): T {
  if (item.status === "archived") throw conflict(`${kind} '${item.id}' is already archived.`);
  item.status = "archived";
  item.archived_at = item.updated_at = nowIso();
  if ("archived" in item) item.archived = true;
  return item;
}

/** Writes under an archived parent are rejected the same way (409 conflict_error). */
export function assertActive(item: Archivable, kind: string): void {
  if (item.status === "archived") throw conflict(`${kind} '${item.id}' is archived.`);
}

/** Optimistic concurrency: body `version` must equal the stored one (agents require it, memories may omit it). */
export function checkVersion(body: v.Json, current: number, required: boolean): void {
  if (!required && (body.version === undefined || body.version === null)) return;
  const version = v.required(body, "version");
  if (typeof version !== "number" || !Number.isInteger(version)) throw badRequest("Field 'version' must be an integer.", "version");
  if (version !== current) throw conflict("Version conflict");
}
