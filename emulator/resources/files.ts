import { createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Db } from "../db";
import { ApiError, badRequest } from "../errors";
import { newId } from "../ids";
import { parseMultipart, type Part } from "../multipart";
import { paginate } from "../pagination";
import { created, noContent, on, ok, type Ctx, type Route } from "../router";
import type { FileObject, FilePurpose } from "../session-types";
import type { State } from "../types";
import * as v from "../validate";
import { find as findIn } from "./lifecycle";

export const FILE_PURPOSES: readonly FilePurpose[] = ["user_upload", "tool_output", "skill_output", "session_resource", "agent_output"];
/** Only outputs are downloadable [Q-cli][Q-new guide]; an upload is not handed back. */
const DOWNLOADABLE: readonly FilePurpose[] = ["tool_output", "skill_output", "agent_output"];
const METADATA_MAX_BYTES = 8 * 1024;
/** Presigned URLs live about an hour [Q-cli]. */
const URL_TTL_S = 3600;
export const PRESIGNED_PREFIX = "/_presigned/files/";

const MIME: Record<string, string> = {
  txt: "text/plain",
  md: "text/markdown",
  csv: "text/csv",
  json: "application/json",
  yaml: "application/yaml",
  yml: "application/yaml",
  html: "text/html",
  xml: "application/xml",
  js: "text/javascript",
  ts: "text/x-typescript",
  py: "text/x-python",
  pdf: "application/pdf",
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  zip: "application/zip",
};

/** Server-detected from the name, as the docs say (the part's own content type is not trusted). */
const mimeOf = (filename: string) => MIME[/\.([A-Za-z0-9]+)$/.exec(filename)?.[1]?.toLowerCase() ?? ""] ?? "application/octet-stream";

/** Files use second precision ("2026-05-18T15:33:44Z"). */
const nowSeconds = () => new Date().toISOString().replace(/\.\d+Z$/, "Z");

export const findFile = (state: State, id: string): FileObject => findIn(state.files, id, "File");

/** Stores a file and its bytes (uploads, and the runtime's delivered artifacts). */
export function storeFile(
  state: State,
  f: { filename: string; bytes: Buffer; purpose: FilePurpose; metadata?: Record<string, string>; scope?: FileObject["scope"]; expiresInSeconds?: number },
): FileObject {
  const id = newId("file");
  const now = nowSeconds();
  const file: FileObject = {
    id,
    file_id: id,
    type: "file",
    filename: f.filename,
    size_bytes: f.bytes.length,
    mime_type: mimeOf(f.filename),
    purpose: f.purpose,
    status: "ready",
    downloadable: DOWNLOADABLE.includes(f.purpose),
    scope: f.scope ?? null,
    metadata: f.metadata ?? {},
    ...(f.expiresInSeconds !== undefined ? { expires_at: new Date(Date.now() + f.expiresInSeconds * 1000).toISOString().replace(/\.\d+Z$/, "Z") } : {}),
    created_at: now,
    updated_at: now,
  };
  state.files[id] = file;
  state.fileContent[id] = f.bytes.toString("base64");
  return file;
}

const field = (parts: Part[], name: string) => parts.find((p) => p.name === name && p.filename === undefined)?.data.toString("utf8");

function uploadFile(ctx: Ctx) {
  const parts = ctx.truncated ? undefined : parseMultipart(ctx.headers["content-type"], ctx.raw);
  if (!parts) throw badRequest("Invalid multipart form or request too large.");
  const file = parts.find((p) => p.name === "file" && p.filename !== undefined);
  if (!file) throw badRequest("Field 'file' is required.", "file");
  const purpose = field(parts, "purpose") ?? "user_upload";
  v.oneOf(purpose, FILE_PURPOSES, "purpose");
  const metaText = field(parts, "metadata");
  let metadata: Record<string, string> = {};
  if (metaText !== undefined && metaText !== "") {
    if (Buffer.byteLength(metaText) > METADATA_MAX_BYTES) throw badRequest("metadata must be at most 8 KB of JSON.", "metadata");
    let parsed: unknown;
    try {
      parsed = JSON.parse(metaText);
    } catch {
      throw badRequest("metadata must be a JSON object.", "metadata");
    }
    metadata = v.metadata(parsed);
  }
  // `name` (newest) or `filename` overrides the uploaded file's own name.
  const custom = field(parts, "name") ?? field(parts, "filename");
  const filename = v.string(custom ?? file.filename, custom !== undefined ? "name" : "file", { min: 1, max: 255 });
  const expiresText = field(parts, "expires_in_seconds");
  let expiresInSeconds: number | undefined;
  if (expiresText !== undefined) {
    expiresInSeconds = Number(expiresText);
    if (!/^\d+$/.test(expiresText) || expiresInSeconds < 3600 || expiresInSeconds > 7_776_000) {
      throw badRequest("expires_in_seconds must be an integer from 3600 to 7776000.", "expires_in_seconds");
    }
  }
  return created(storeFile(ctx.state, { filename, bytes: file.data, purpose: purpose as FilePurpose, metadata, expiresInSeconds }));
}

const signature = (secret: Buffer, id: string, expires: number) => createHmac("sha256", secret).update(`file:${id}:${expires}`).digest("hex");

/**
 * `GET /files/{id}/content`: the older docs' 302 to a presigned URL, with the newer `{url,
 * expires_at}` as its body, so a client of either generation finds the URL.
 */
function contentUrl(ctx: Ctx) {
  const file = findFile(ctx.state, ctx.params.id);
  if (!file.downloadable) throw new ApiError(403, "permission_error", `File '${file.id}' is not downloadable.`);
  const expires = Math.floor(Date.now() / 1000) + URL_TTL_S;
  const url = `http://${ctx.headers.host ?? "127.0.0.1"}${PRESIGNED_PREFIX}${encodeURIComponent(file.id)}?expires=${expires}&signature=${signature(ctx.db.secret, file.id, expires)}`;
  return { status: 302, body: { url, expires_at: new Date(expires * 1000).toISOString().replace(/\.\d+Z$/, "Z") }, headers: { location: url } };
}

function listFiles(ctx: Ctx) {
  const purpose = ctx.query.get("purpose");
  if (purpose !== null) v.oneOf(purpose, FILE_PURPOSES, "purpose");
  const files = Object.values(ctx.state.files).filter((f) => purpose === null || f.purpose === purpose);
  return ok(paginate(files, ctx.query, { createdAt: (f) => f.created_at }));
}

export const fileRoutes: Route[] = [
  ...on(["POST"], "/files", uploadFile),
  ...on(["GET"], "/files", listFiles),
  ...on(["GET"], "/files/{id}", (ctx) => ok(findFile(ctx.state, ctx.params.id))),
  ...on(["GET"], "/files/{id}/content", contentUrl),
  ...on(["DELETE"], "/files/{id}", (ctx) => {
    const { id } = findFile(ctx.state, ctx.params.id);
    delete ctx.state.files[id];
    delete ctx.state.fileContent[id];
    return noContent();
  }),
];

function storageError(res: ServerResponse, status: number, code: string, message: string): void {
  res.writeHead(status, { "content-type": "application/xml" }).end(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`);
}

/**
 * The presigned "storage host" (`/_presigned/files/{id}?expires&signature`), outside the API: no
 * Bearer token. Like S3, it refuses a request that also carries an Authorization header, so a
 * client that forwards the API token to it fails loudly instead of leaking it silently.
 */
export function servePresigned(db: Db, req: IncomingMessage, res: ServerResponse, url: URL): void {
  if (req.method !== "GET" && req.method !== "HEAD") return storageError(res, 405, "MethodNotAllowed", "Only GET is allowed.");
  if (req.headers.authorization !== undefined) {
    return storageError(res, 400, "InvalidArgument", "Only one auth mechanism allowed; only the signature query parameters or the Authorization header should be specified.");
  }
  const id = decodeURIComponent(url.pathname.slice(PRESIGNED_PREFIX.length));
  const expires = Number(url.searchParams.get("expires"));
  const given = Buffer.from(url.searchParams.get("signature") ?? "");
  const expected = Buffer.from(signature(db.secret, id, expires));
  if (!Number.isInteger(expires) || given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return storageError(res, 403, "SignatureDoesNotMatch", "The request signature does not match.");
  }
  if (expires * 1000 < Date.now()) return storageError(res, 403, "AccessDenied", "Request has expired.");
  const file = Object.hasOwn(db.state.files, id) ? db.state.files[id] : undefined;
  if (!file) return storageError(res, 404, "NoSuchKey", "The specified key does not exist.");
  const bytes = Buffer.from(db.state.fileContent[id] ?? "", "base64");
  res
    .writeHead(200, {
      "content-type": file.mime_type,
      "content-length": String(bytes.length),
      "content-disposition": `attachment; filename="${encodeURIComponent(file.filename)}"`,
    })
    .end(req.method === "HEAD" ? undefined : bytes);
}
