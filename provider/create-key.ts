// Crash-safe creates. The Idempotency-Key of a create is derived from the resource's identity
// (project/stack/type/name, injected by the resource class as `__createKey`) and its body, so a
// `pulumi up` killed after the POST and run again replays the original response instead of
// creating a duplicate. Keys outlive objects (24 h on the server), so a replayed answer is
// verified: if that object has since been deleted or archived, the create runs again under a
// fresh key. Keys also outlive refusals: see retryAfterRefusal.
import { createHash, randomUUID } from "node:crypto";
import { APIError, ConflictError } from "../sdk";
import { canonical } from "./json";

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

/**
 * Should a create refused under the derived key be sent once more under a fresh key?
 *
 * The server keeps a key's first answer for 24 h, refusals (4xx) included: a Memory create
 * refused with 409 (path taken) is refused again on every later `up` with the same body, even
 * after the clash is gone. So a 4xx is retried once under a fresh key, which gets an answer
 * about the account as it is now.
 *
 * Why this cannot duplicate: a 4xx means the server created nothing under the derived key,
 * whether the answer is new or a stored refusal replayed (a key holds one answer, and this one
 * is a refusal). The fresh key is random, not derived, on purpose: a derived retry key would
 * store the refusal too and be stuck just the same. The price is the crash window of the retry
 * alone (a run killed between its 201 and Pulumi saving the state is not taken over by the next
 * run), the same as the retry after a replayed object was found deleted. Cost: one more POST
 * when the cause persists.
 *
 * Not retried: a 409 saying the key was used with another body (an earlier request under this
 * key may have created something), and anything that is not an HTTP answer (the sdk retries
 * those under the same key, which is what makes them safe).
 */
export function retryAfterRefusal(e: unknown): boolean {
  if (!(e instanceof APIError) || e.status < 400 || e.status >= 500) return false;
  return !(e instanceof ConflictError && /idempotency key/i.test(e.message));
}

/** A key no earlier request used. */
export function freshKey(key: string): string {
  return `${key}-${randomUUID()}`;
}
