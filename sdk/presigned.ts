// Downloads from a presigned URL. That URL is another host (object storage) and carries its own
// signature, so the request has no Authorization header at all: the API token never leaves for it.
// The URL's query (the signature) is a credential too, so messages name only origin and path.
import { undiciRequest as request } from "./transport";
import { QoderError } from "./errors";

/** The storage host refused or failed the download. */
export class DownloadError extends QoderError {
  constructor(
    message: string,
    readonly status: number | undefined,
  ) {
    super(message);
  }
}

export interface Downloaded {
  bytes: Buffer;
  contentType: string | undefined;
}

/** Origin and path only: the query string holds the signature. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return "(invalid URL)";
  }
}

export async function downloadPresigned(url: string, opts: { timeoutMs: number; maxBytes: number; signal?: AbortSignal }): Promise<Downloaded> {
  const where = describeUrl(url);
  if (!/^https?:\/\//i.test(url)) throw new DownloadError(`refusing to download from ${where}: not an http(s) URL`, undefined);
  const timeout = AbortSignal.timeout(opts.timeoutMs);
  const signal = opts.signal ? AbortSignal.any([timeout, opts.signal]) : timeout;
  let res;
  try {
    res = await request(url, { method: "GET", signal });
  } catch (err) {
    const why = timeout.aborted ? `timed out after ${opts.timeoutMs} ms` : opts.signal?.aborted ? "was aborted" : "failed to connect";
    throw new DownloadError(`download from ${where} ${why}`, undefined);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of res.body as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > opts.maxBytes) {
        res.body.destroy();
        throw new DownloadError(`download from ${where} exceeds ${opts.maxBytes} bytes (maxResponseBytes)`, res.statusCode);
      }
      chunks.push(chunk);
    }
  } catch (err) {
    if (err instanceof DownloadError) throw err;
    throw new DownloadError(`download from ${where} broke off`, res.statusCode);
  }
  const bytes = Buffer.concat(chunks, size);
  if (res.statusCode < 200 || res.statusCode >= 300) {
    const code = /<Code>([^<]{1,100})<\/Code>/.exec(bytes.toString("utf8"))?.[1];
    throw new DownloadError(`download from ${where} failed: HTTP ${res.statusCode}${code ? ` ${code}` : ""}`, res.statusCode);
  }
  const type = res.headers["content-type"];
  return { bytes, contentType: Array.isArray(type) ? type[0] : type };
}
