import type { IncomingHttpHeaders } from "node:http";
import type { Emulator } from "./server";
import { ApiError, badRequest, unauthorized } from "./errors";
import { parseFaults } from "./faults";
import { parseJson, type Reply } from "./router";
import type { State } from "./types";

/** State for tests, without anything secret (credential hashes) or bulky (skill bytes). */
function publicState(state: State): Omit<State, "credentialSecrets" | "skillContent" | "fileContent"> {
  const { credentialSecrets: _secrets, skillContent: _content, fileContent: _files, ...rest } = state;
  return rest;
}

export interface AdminRequest {
  headers: IncomingHttpHeaders;
  method: string;
  raw: Buffer;
  token: string;
  /** The emulator's own origins (`http://127.0.0.1:<port>`, …). */
  origins: string[];
}

/**
 * The admin surface can wipe a --data emulator and dumps every prompt, so: the emulator's own
 * Bearer token; no foreign `Origin` (a web page's fetch); and JSON bodies only, because a page can
 * send text/plain, form and multipart POSTs without a CORS preflight.
 */
export function checkAdminRequest(r: AdminRequest): void {
  if (r.headers.authorization !== `Bearer ${r.token}`) throw unauthorized();
  const origin = r.headers.origin;
  if (origin !== undefined && !r.origins.includes(origin)) {
    throw new ApiError(403, "permission_error", "Cross-origin requests to the admin surface are not allowed.");
  }
  const type = r.headers["content-type"];
  const json = type !== undefined && /^application\/json\s*(;|$)/i.test(type);
  if (r.method !== "GET" && (r.raw.length > 0 || type !== undefined) && !json) {
    throw badRequest("Admin requests with a body must be sent as application/json.");
  }
}

/** The `/_emulator/*` test surface (after checkAdminRequest): no faults, not counted in stats. */
export function admin(emu: Emulator, method: string, path: string, raw: Buffer): Reply {
  const route = `${method} ${path}`;
  switch (route) {
    case "GET /_emulator/stats":
      return { status: 200, body: emu.stats.toJSON() };
    case "POST /_emulator/stats/reset":
      emu.stats.reset();
      return { status: 200, body: { ok: true } };
    case "POST /_emulator/reset":
      emu.reset();
      return { status: 200, body: { ok: true } };
    case "GET /_emulator/faults":
      return { status: 200, body: emu.faults.config };
    case "PUT /_emulator/faults":
    case "POST /_emulator/faults":
      emu.faults.set(parseFaults(parseJson(raw, false)));
      return { status: 200, body: emu.faults.config };
    case "GET /_emulator/state":
      return { status: 200, body: publicState(emu.db.state) };
    default:
      throw new ApiError(404, "not_found_error", `Route ${route} was not found.`);
  }
}
