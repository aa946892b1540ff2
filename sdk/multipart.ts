import { createHash } from "node:crypto";

/** One multipart/form-data part: a text field, or a file with a name and content type. */
export type FormPart =
  | { name: string; value: string }
  | { name: string; file: Uint8Array; filename: string; contentType: string };

/**
 * Encodes a form into one Buffer, so its size can be checked before sending and the exact
 * same bytes can be replayed on retry (a stream could not). The boundary is derived from the
 * parts, not random: a create re-sent by a later run under the same Idempotency-Key must be
 * byte-identical, or the server refuses it as "key reused with a different body" (409).
 */
export function encodeMultipart(parts: FormPart[]): { body: Buffer; contentType: string } {
  const h = createHash("sha256");
  for (const part of parts) h.update(part.name).update("\0").update("file" in part ? part.file : part.value).update("\0");
  const boundary = `----pulumi-qoder-${h.digest("hex").slice(0, 24)}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${quote(part.name)}"`;
    if ("file" in part) head += `; filename="${quote(part.filename)}"\r\nContent-Type: ${part.contentType}`;
    chunks.push(Buffer.from(`${head}\r\n\r\n`), "file" in part ? Buffer.from(part.file) : Buffer.from(part.value), Buffer.from("\r\n"));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

function quote(s: string): string {
  return s.replace(/[\r\n"]/g, (c) => encodeURIComponent(c));
}
