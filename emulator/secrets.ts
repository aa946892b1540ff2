import { createHash, randomBytes } from "node:crypto";

/** Write-only secrets are kept only as a salted hash: enough to prove one was set, useless if leaked. */
export function hashSecret(secret: string): string {
  const salt = randomBytes(16).toString("hex");
  return `sha256:${salt}:${createHash("sha256").update(salt + secret).digest("hex")}`;
}
