import { randomBytes } from "node:crypto";

/** One multipart/form-data part: a text field, or a file with a name and content type. */
export type FormPart =
  | { name: string; value: string }
  | { name: string; file: Uint8Array; filename: string; contentType: string };

/**
 * Encodes a form into one Buffer, so its size can be checked before sending and the exact
 * same bytes can be replayed on retry (a stream could not).
 */
export function encodeMultipart(parts: FormPart[]): { body: Buffer; contentType: string } {
  const boundary = `----pulumi-qoder-${randomBytes(12).toString("hex")}`;
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
