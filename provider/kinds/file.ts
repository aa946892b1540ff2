// qoder.File: one local file uploaded to /files (qoder-api.md §7). Files have no update
// endpoint, so every change replaces the file; the local content's hash is an input, so an edit
// previews as that replacement.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { z } from "zod";
import { DEFAULT_LIMITS, type FileObject, type FilePurpose } from "../../sdk";
import { BODY_LIMIT_TEXT } from "../body-limit";
import { ProviderError } from "../errors";
import { idOf, metadataSchema, sourceFile } from "../schemas";
import type { FieldRules, Kind } from "./kind";

/** The documented purposes; `user_upload` is the server's default for uploads. */
export const FILE_PURPOSES = ["user_upload", "tool_output", "skill_output", "session_resource", "agent_output"] as const satisfies readonly FilePurpose[];
const DEFAULT_PURPOSE = "user_upload";

/** File metadata travels as one JSON form field of at most 8 KB (qoder-api.md §7). */
const METADATA_MAX_BYTES = 8 * 1024;

/**
 * The upload is one multipart body under the request limit (the sdk's maxBodyBytes); the rest
 * of the form (metadata up to 8 KB, name, purpose, part headers) fits in the 16 KiB kept back.
 */
export const MAX_FILE_BYTES = DEFAULT_LIMITS.maxBodyBytes - 16 * 1024;

export const fileSchema = z
  .object({
    source: z.string().min(1),
    /** Defaults (in check) to the source's base name. */
    name: z.string().min(1).max(255).optional(),
    purpose: z.enum(FILE_PURPOSES).default(DEFAULT_PURPOSE),
    metadata: metadataSchema.refine((m) => Buffer.byteLength(JSON.stringify(m)) <= METADATA_MAX_BYTES, "file metadata is at most 8 KB of JSON"),
    deletionPolicy: z.literal("delete", { message: 'files cannot be archived: use "delete" or retainOnDelete' }).default("delete"),
    adoptId: idOf("file").optional(),
    sourceFile,
  })
  .strict();

/** The program's inputs plus what check computes from the file (enrich). */
export type FileInputs = z.output<typeof fileSchema> & { contentSha256?: string; sizeBytes?: number };

export type FileState = Omit<FileInputs, "name" | "sizeBytes"> & {
  fileId: string;
  name: string;
  sizeBytes: number;
  /** The server's, detected from the name. */
  mimeType: string;
  createdAt: string;
};

/** Raised during check; `path` tells the engine which property to name. */
class FileSourceError extends Error {
  readonly path = "source";
}

const size = (n: number) => `${n} bytes (${(n / 1048576).toFixed(2)} MB)`;

/** The file's bytes, refused by size (stat, before reading) when over MAX_FILE_BYTES. */
function readSource(source: string): Buffer {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(source);
  } catch {
    throw new FileSourceError(`file ${source} does not exist (resolved against ${process.cwd()})`);
  }
  if (!stat.isFile()) throw new FileSourceError(`${source} is not a regular file`);
  if (stat.size > MAX_FILE_BYTES) {
    throw new FileSourceError(`file ${source} is ${size(stat.size)}; a file may be at most ${size(MAX_FILE_BYTES)}: its upload must fit the ${BODY_LIMIT_TEXT} request limit`);
  }
  return fs.readFileSync(source);
}

const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");

/**
 * The bytes check read, by hash, for create in the same process: the bytes uploaded are the
 * bytes whose hash preview showed. Bounded (oldest dropped): a miss reads again and verifies.
 */
const CACHE_BYTES = 64 * 1024 * 1024;
const contents = new Map<string, Buffer>();
let cachedBytes = 0;

function remember(hash: string, bytes: Buffer): void {
  if (contents.has(hash)) return;
  contents.set(hash, bytes);
  cachedBytes += bytes.length;
  for (const [k, v] of contents) {
    if (cachedBytes <= CACHE_BYTES) break;
    contents.delete(k);
    cachedBytes -= v.length;
  }
}

function checkedContent(i: FileInputs): Buffer {
  const known = i.contentSha256 === undefined ? undefined : contents.get(i.contentSha256);
  if (known) return known;
  const bytes = readSource(i.source);
  const hash = sha256(bytes);
  if (i.contentSha256 !== undefined && hash !== i.contentSha256) {
    throw new ProviderError(`file ${i.source} changed after it was checked (sha256 ${hash}, checked ${i.contentSha256}): run the update again`);
  }
  return bytes;
}

/** Sent as the part's type; the server detects its own `mime_type` from the name. */
const MIME: Record<string, string> = {
  txt: "text/plain",
  md: "text/markdown",
  csv: "text/csv",
  json: "application/json",
  yaml: "application/yaml",
  yml: "application/yaml",
  html: "text/html",
  xml: "application/xml",
  pdf: "application/pdf",
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  zip: "application/zip",
};
export const guessMimeType = (name: string) => MIME[path.extname(name).slice(1).toLowerCase()] ?? "application/octet-stream";

// No update endpoint: every field that reaches the API replaces the file.
const fields = {
  source: { ignore: true }, // the path is not the content: contentSha256 is
  contentSha256: { replace: true },
  sizeBytes: { replace: true }, // comes with contentSha256; also what adoption can compare
  name: { replace: true },
  purpose: { replace: true },
  metadata: { replace: true },
} satisfies FieldRules<FileInputs, FileState>;

export const fileKind: Kind<FileInputs, FileState, FileObject> = {
  name: "file",
  title: "File",
  idOutput: "fileId",
  schema: fileSchema,
  fields,
  outputs: { fileId: true, mimeType: true, createdAt: true },
  deletion: { default: "delete", canArchive: false },
  enrich: (inputs) => {
    const bytes = readSource(inputs.source);
    const hash = sha256(bytes);
    remember(hash, bytes);
    return { ...inputs, name: inputs.name ?? path.basename(inputs.source), contentSha256: hash, sizeBytes: bytes.length };
  },

  create: (c, i, opts) => {
    const base = path.basename(i.source);
    const name = i.name ?? base;
    return c.files.upload(
      {
        file: checkedContent(i),
        filename: base,
        ...(name !== base ? { name } : {}),
        contentType: guessMimeType(name),
        // Left out when it is the default: the newest API generation drops the field.
        ...(i.purpose !== DEFAULT_PURPOSE ? { purpose: i.purpose } : {}),
        ...(Object.keys(i.metadata).length ? { metadata: i.metadata } : {}),
      },
      opts,
    );
  },
  get: (c, id) => c.files.get(id),
  // Not reached: every field replaces, and adoption refuses a file that differs (engine.ts).
  update: async (_c, id, _olds, _news, changed) => {
    throw new ProviderError(`qoder File ${id}: files cannot be changed in place (the API has no update); ${changed.join(", ")} need a new upload`);
  },
  destroy: (c, id) => c.files.delete(id),

  toInputs: (live, prev) => ({
    source: prev.source ?? "",
    name: live.filename,
    purpose: FILE_PURPOSES.find((p) => p === live.purpose) ?? prev.purpose ?? DEFAULT_PURPOSE,
    metadata: live.metadata,
    // The API returns no hash and uploads cannot be downloaded; a file never changes in place,
    // so the last upload's hash stands (an adopted file is compared by size).
    ...(prev.contentSha256 !== undefined ? { contentSha256: prev.contentSha256 } : {}),
    sizeBytes: live.size_bytes,
    deletionPolicy: "delete",
    ...(prev.adoptId ? { adoptId: prev.adoptId } : {}),
  }),
  state: (inputs, live) => ({
    ...inputs,
    fileId: live.id,
    name: live.filename,
    sizeBytes: live.size_bytes,
    mimeType: live.mime_type ?? guessMimeType(live.filename),
    createdAt: live.created_at,
  }),
};
