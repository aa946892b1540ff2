// The pure retry policy: which requests may be replayed, which statuses retried, and how long to wait.
import { backoffDelay, isReplayable, isRetryableStatus, retryAfterDelay } from "../../sdk/retry";

test("only GET, DELETE and keyed requests are replay-safe", () => {
  expect(["GET", "DELETE"].map((m) => isReplayable(m, undefined))).toEqual([true, true]);
  expect(["POST", "PUT"].map((m) => isReplayable(m, undefined))).toEqual([false, false]);
  expect(isReplayable("POST", "k")).toBe(true);
});

test("retryable statuses: 408, 429, 5xx; never 409 even if the server says so", () => {
  expect([408, 429, 500, 502, 503, 504].every((s) => isRetryableStatus(s, {}))).toBe(true);
  expect([400, 401, 403, 404, 409, 422].some((s) => isRetryableStatus(s, {}))).toBe(false);
  expect(isRetryableStatus(409, { "x-should-retry": "true" })).toBe(false);
  expect(isRetryableStatus(400, { "x-should-retry": "true" })).toBe(true);
  expect(isRetryableStatus(503, { "x-should-retry": "false" })).toBe(false);
});

test("backoff doubles from the base, jitters down by at most 25 %, and is capped", () => {
  for (let n = 0; n < 50; n++) {
    const d = backoffDelay(2, 1000, 60_000);
    expect(d).toBeGreaterThanOrEqual(3000);
    expect(d).toBeLessThanOrEqual(4000);
  }
  expect(backoffDelay(10, 1000, 5000)).toBeLessThanOrEqual(5000);
});

test("Retry-After forms", () => {
  const now = Date.parse("2026-11-29T10:00:00Z");
  expect(retryAfterDelay({ "retry-after": "2" }, 60_000, now)).toBe(2000);
  expect(retryAfterDelay({ "retry-after": "0.5" }, 60_000, now)).toBe(500);
  expect(retryAfterDelay({ "retry-after": "Sun, 29 Nov 2026 10:00:03 GMT" }, 60_000, now)).toBe(3000);
  expect(retryAfterDelay({ "retry-after": "Sun, 29 Nov 2026 09:00:00 GMT" }, 60_000, now)).toBe(0);
  expect(retryAfterDelay({ "retry-after": "3600" }, 60_000, now)).toBe(60_000);
  expect(retryAfterDelay({ "retry-after-ms": "250", "retry-after": "9" }, 60_000, now)).toBe(250);
  expect(retryAfterDelay({ "retry-after-ms": "soon", "retry-after": "1" }, 60_000, now)).toBe(1000);
  for (const bad of ["", "-1", "tomorrow"]) expect(retryAfterDelay({ "retry-after": bad }, 60_000, now)).toBeUndefined();
  expect(retryAfterDelay({}, 60_000, now)).toBeUndefined();
});
