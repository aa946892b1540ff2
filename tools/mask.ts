// Report values never show secrets: Pulumi secret values (already "[secret]" in engine events,
// or the signed-secret envelope in exported state), tokens and credential digests.
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const SECRET_KEYS = new Set(["token", "accessToken", "access_token", "tokenDigest", "tokenSalt"]);
export const MASK = "[secret]";

export function mask(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(mask);
  if (v && typeof v === "object") {
    if (SECRET_SIG in v) return MASK;
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, SECRET_KEYS.has(k) && x !== undefined && x !== null && x !== "" ? MASK : mask(x)]));
  }
  return v;
}
