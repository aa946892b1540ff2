// One readable line per session event, for the terminal and for the transcript of a case.
import { eventText, isEvent, stopReasonType, type SessionEvent } from "../../sdk";

export interface TranscriptLine {
  turn: number;
  text: string;
}

/** Events that only mark time (spans, running), and the case's own, which the runner writes itself: left out of transcripts. */
const QUIET = new Set(["session.status_running", "span.model_request_start", "span.model_request_end", "user.message", "user.tool_confirmation", "user.custom_tool_result"]);

export function clip(s: string, max: number): string {
  const one = s.replace(/\s+/g, " ").trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

/** `agent.tool_use Read`, `agent.message: LGTM`; undefined for events not worth a line. `toolNames`: tool use id → name. */
export function describeEvent(e: SessionEvent, toolNames: ReadonlyMap<string, string>, max = 500): string | undefined {
  if (QUIET.has(e.type)) return undefined;
  if (isEvent(e, "session.status_idle")) return `${e.type} (${stopReasonType(e) ?? "no stop reason"})`;
  if (isEvent(e, "agent.tool_use")) return `${e.type} ${e.name}${e.evaluated_permission === "ask" ? " (asks for confirmation)" : ""}`;
  if (isEvent(e, "agent.custom_tool_use")) return `${e.type} ${e.name}`;
  if (isEvent(e, "agent.tool_result")) return `${e.type} ${toolNames.get(e.tool_use_id) ?? e.tool_use_id}${e.is_error ? " (error)" : ""}: ${clip(eventText(e), max)}`;
  if (isEvent(e, "session.error")) return `${e.type}: ${clip(e.error.message, max)}`;
  if (isEvent(e, "agent.artifact_delivered")) return `${e.type} ${e.filename ?? ""} ${e.file_id}`.replace(/\s+/g, " ");
  const text = eventText(e);
  if (text) return `${e.type}: ${clip(text, max)}`;
  const name = (e as { name?: unknown }).name;
  return typeof name === "string" ? `${e.type} ${name}` : e.type;
}

export function renderTranscript(lines: TranscriptLine[]): string {
  return lines.map((l) => `[turn ${l.turn}] ${l.text}`).join("\n");
}
