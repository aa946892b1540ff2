import type { Emulator } from "./server";
import { ApiError } from "./errors";
import { parseFaults } from "./faults";
import { parseJson, type Reply } from "./router";
import type { State } from "./types";

/** State for tests, without anything secret (credential hashes) or bulky (skill bytes). */
function publicState(state: State): Omit<State, "credentialSecrets" | "skillContent"> {
  const { credentialSecrets: _secrets, skillContent: _content, ...rest } = state;
  return rest;
}

/** The `/_emulator/*` test surface: no auth, no faults, not counted in stats. */
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
