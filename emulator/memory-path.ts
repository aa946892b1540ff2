import { badRequest } from "./errors";

export const MAX_MEMORY_PATH = 1024;

export const MEMORY_PATH_MESSAGE =
  "Field 'path' must be a relative path of non-empty segments, without '.' or '..' segments, backslashes or control characters.";

/**
 * A memory path is filesystem-like (the docs' examples are `notes/meeting.md`), and clients may
 * well write entries to disk under it: so only plain relative paths are stored. Returns the
 * refusal message, or undefined when `path` is acceptable.
 */
export function memoryPathProblem(path: string): string | undefined {
  if (path.trim() === "") return "Field 'path' must not be empty.";
  if ([...path].length > MAX_MEMORY_PATH) return `Field 'path' must be at most ${MAX_MEMORY_PATH} characters.`;
  if (path.startsWith("/")) return "Field 'path' must be relative (must not start with '/').";
  if (/[\u0000-\u001f\u007f\\]/.test(path)) return MEMORY_PATH_MESSAGE;
  if (path.split("/").some((segment) => segment === "" || segment === "." || segment === "..")) return MEMORY_PATH_MESSAGE;
  return undefined;
}

/** The path of a create or update body, or the documented 400 with `param: path`. */
export function checkMemoryPath(value: unknown): string {
  if (typeof value !== "string") throw badRequest("Field 'path' must be a string.", "path");
  const problem = memoryPathProblem(value);
  if (problem) throw badRequest(problem, "path");
  return value;
}
