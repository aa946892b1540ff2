import type { IncomingMessage } from "node:http";

export interface Body {
  raw: Buffer;
  /** More than `limit` bytes arrived: like the real gateway, keep only the first `limit`. */
  truncated: boolean;
}

/** Reads the whole request (draining what exceeds the limit so the response can still be sent). */
export function readBody(req: IncomingMessage, limit: number): Promise<Body> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let truncated = false;
    req.on("data", (chunk: Buffer) => {
      if (size + chunk.length > limit) {
        truncated = true;
        chunk = chunk.subarray(0, Math.max(0, limit - size));
      }
      size += chunk.length;
      if (chunk.length) chunks.push(chunk);
    });
    req.on("end", () => resolve({ raw: Buffer.concat(chunks), truncated }));
    req.on("error", reject);
  });
}

/** "4194304", "4mb", "512kb", "1.5m" → bytes (1024-based). */
export function parseSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(b|k|kb|m|mb|g|gb)?$/i.exec(text.trim());
  if (!m) throw new Error(`invalid size: ${text}`);
  const unit = (m[2] ?? "b").toLowerCase()[0];
  return Math.floor(Number(m[1]) * { b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[unit as "b" | "k" | "m" | "g"]);
}
