// Crash-safe creates. The Idempotency-Key of a create is derived from the resource's identity
// (project/stack/type/name, injected by the resource class as `__createKey`) and its body, so a
// `pulumi up` killed after the POST and run again replays the original response instead of
// creating a duplicate. Keys outlive objects (24 h on the server), so a replayed answer is
// verified: if that object has since been deleted or archived, the create runs again under a
// fresh key.
import { createHash, randomUUID } from "node:crypto";
import { canonical } from "./json";

export const CREATE_KEY_FIELD = "__createKey";

export function stableIdempotencyKey(scope: string | undefined, kind: string, body: unknown): string {
  if (!scope) return randomUUID();
  const h = createHash("sha256").update(`${scope}\n${kind}\n${JSON.stringify(canonical(body) ?? null)}`).digest("hex");
  return `pq-${h.slice(0, 40)}`;
}

/**
 * A replay answers with the original object, whose creation predates this request. The margin
 * only absorbs clock skew; a false positive costs one GET, a miss could adopt a deleted object.
 */
export function looksReplayed(createdAt: unknown, requestStartedMs: number, skewMs = 2_000): boolean {
  if (typeof createdAt !== "string") return false;
  const t = Date.parse(createdAt);
  return Number.isFinite(t) && t < requestStartedMs - skewMs;
}
