import { ResponseValidationError } from "../errors";
import type { FormPart } from "../multipart";
import type { RequestOptions } from "../options";
import type { Paginator } from "../pagination";
import { downloadPresigned, type Downloaded } from "../presigned";
import { header } from "../retry";
import { FileContentUrlSchema, FileSchema, type FileContentUrl, type FileListParams, type FileObject, type FileUpload } from "../schemas/file";
import type { Transport } from "../transport";
import { parseLoose } from "../transport";
import { Collection, path } from "./collection";

export class Files {
  readonly #c: Collection<FileObject>;
  readonly #t: Transport;

  constructor(t: Transport) {
    this.#t = t;
    this.#c = new Collection(t, FileSchema);
  }

  /** Multipart upload: `file`, plus `purpose`, `name` and `metadata` (JSON text) when given. */
  upload(p: FileUpload, o?: RequestOptions): Promise<FileObject> {
    const form: FormPart[] = [{ name: "file", file: p.file, filename: p.filename ?? "file", contentType: p.contentType ?? "application/octet-stream" }];
    if (p.purpose !== undefined) form.push({ name: "purpose", value: p.purpose });
    if (p.name !== undefined) form.push({ name: "name", value: p.name });
    if (p.metadata !== undefined) form.push({ name: "metadata", value: JSON.stringify(p.metadata) });
    return this.#c.create("/files", { form }, o);
  }

  get(id: string, o?: RequestOptions): Promise<FileObject> {
    return this.#c.get(path("files", id), undefined, o);
  }

  /** Newest first; `purpose` filters. */
  list(q?: FileListParams, o?: RequestOptions): Paginator<FileObject> {
    return this.#c.list("/files", q, o);
  }

  /**
   * The presigned download URL. The older docs answer 302 (Location, with `{url, expires_at}` as
   * the body), the newer 200 `{url, expires_at}`; both are read, and the redirect is never followed
   * (that would send the API token to the storage host).
   */
  async contentUrl(id: string, o?: RequestOptions): Promise<FileContentUrl> {
    const at = path("files", id, "content");
    const res = await this.#t.send({ method: "GET", path: at, returnRedirects: true, options: o });
    const body = FileContentUrlSchema.safeParse(parseLoose(res.text));
    if (body.success) return { url: body.data.url, expires_at: body.data.expires_at ?? null };
    const location = res.status >= 300 ? header(res.headers, "location") : undefined;
    if (location) return { url: new URL(location, this.#t.baseUrl).toString(), expires_at: null };
    throw new ResponseValidationError(`invalid response from GET ${at}: expected {url, expires_at} or a redirect with Location`, "url", res.requestId);
  }

  /** The file's bytes, fetched from its presigned URL without the API token. */
  async download(id: string, o?: RequestOptions): Promise<Downloaded> {
    const { url } = await this.contentUrl(id, o);
    return downloadPresigned(url, { timeoutMs: o?.timeoutMs ?? this.#t.limits.timeoutMs, maxBytes: this.#t.limits.maxResponseBytes, signal: o?.signal });
  }

  delete(id: string, o?: RequestOptions): Promise<void> {
    return this.#c.delete(path("files", id), o);
  }
}
