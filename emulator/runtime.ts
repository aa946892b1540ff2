// The emulator's stand-in for an agent. No model runs here: a user message is a small script of
// `[[directive]]`s (documented in emulator/README.md) that decides which of the documented events
// the turn emits, so tests can drive every event type deterministically. Every text the "agent"
// produces starts with EMULATOR_MARK, so nobody mistakes it for a model's answer.
import { badRequest, conflict } from "./errors";
import { newId, nowIso } from "./ids";
import { storeFile } from "./resources/files";
import type { Directive, Session, SessionEvent, SessionRuntime } from "./session-types";
import type { State } from "./types";
import type { Json } from "./validate";

export const EMULATOR_MARK = "[qoder-emulator]";

/** Built-in tools of `agent_toolset_20260401` as the Qoder docs name them. */
export const BUILTIN_TOOLS = ["Bash", "Read", "Write", "Edit", "Glob", "Grep", "WebFetch", "WebSearch", "DeliverArtifacts"];

const DIRECTIVE = /\[\[([a-z_]+)(?::([^\]]*))?\]\]/g;

/** `[[tool:Read]] hi [[say:done]]` → [{name:"tool",arg:"Read"},{name:"say",arg:"done"}]. */
export function parseDirectives(text: string): Directive[] {
  return [...text.matchAll(DIRECTIVE)].map((m) => (m[2] === undefined ? { name: m[1] } : { name: m[1], arg: m[2] }));
}

/** `web_fetch`, `WebFetch` and `webfetch` name the same tool (docs vs SDK casing). */
const norm = (name: string) => name.replace(/_/g, "").toLowerCase();

interface ToolPolicy {
  enabled: boolean;
  ask: boolean;
}

/** What the session's (frozen) agent allows for a built-in tool: enabled at all, and whether it asks first. */
export function builtinPolicy(agentTools: unknown[], name: string): ToolPolicy {
  const off = { enabled: false, ask: false };
  const builtin = BUILTIN_TOOLS.find((t) => norm(t) === norm(name));
  if (!builtin) return off;
  for (const tool of agentTools as Json[]) {
    if (tool.type !== "agent_toolset_20260401") continue;
    const list = (key: string) => (Array.isArray(tool[key]) ? (tool[key] as unknown[]).filter((x): x is string => typeof x === "string").map(norm) : []);
    const allow = list("enabled_tools");
    if (allow.length > 0 && !allow.includes(norm(builtin))) continue;
    if (list("disallowed_tools").includes(norm(builtin))) continue;
    const defaults = (typeof tool.default_config === "object" && tool.default_config !== null ? tool.default_config : {}) as Json;
    const configs = Array.isArray(tool.configs) ? (tool.configs as Json[]) : [];
    const own = configs.find((c) => typeof c?.name === "string" && norm(c.name) === norm(builtin)) ?? {};
    const enabled = (own.enabled ?? defaults.enabled ?? true) !== false;
    const policy = ((own.permission_policy ?? defaults.permission_policy) as Json | undefined)?.type;
    if (enabled) return { enabled, ask: policy === "always_ask" };
  }
  return off;
}

const hasCustomTool = (agentTools: unknown[], name: string) => (agentTools as Json[]).some((t) => t.type === "custom" && t.name === name);

const text = (t: string) => [{ type: "text", text: t }];
const marked = (t: string) => text(`${EMULATOR_MARK} ${t}`);

/** The log writer of one request: appends events to the session and tracks its status. */
class Turn {
  constructor(
    private readonly state: State,
    private readonly session: Session,
    readonly rt: SessionRuntime,
  ) {}

  emit(type: string, fields: Json = {}): SessionEvent {
    const event: SessionEvent = { id: newId("evt"), type, created_at: nowIso(), ...fields };
    (this.state.sessionEvents[this.session.id] ??= []).push(event);
    return event;
  }

  status(status: "running" | "idle" | "terminated", fields: Json = {}): void {
    this.session.status = status;
    this.session.updated_at = nowIso();
    this.emit(`session.status_${status}`, fields);
  }

  spanStart(): void {
    if (!this.rt.span) this.rt.span = this.emit("span.model_request_start").id;
  }

  spanEnd(): void {
    if (!this.rt.span) return;
    // Honest usage: no model ran, so no tokens were spent.
    this.emit("span.model_request_end", { model_request_start_id: this.rt.span, is_error: false, model_usage: { input_tokens: 0, output_tokens: 0 } });
    this.rt.span = undefined;
  }

  idle(stopReason: Json): void {
    this.spanEnd();
    this.rt.pending = undefined;
    this.rt.rest = [];
    this.rt.waiting = false;
    this.status("idle", { stop_reason: stopReason });
  }

  error(type: string, message: string, retryable = true): void {
    this.emit("session.error", { error: { type, message: `${EMULATOR_MARK} ${message}`, retryable } });
  }

  toolResult(toolUseId: string, content: unknown[], isError: boolean): void {
    this.emit("agent.tool_result", { tool_use_id: toolUseId, content, is_error: isError });
  }

  /** Runs directives until the turn ends, pauses for an action, or waits. */
  run(directives: Directive[]): void {
    this.spanStart();
    for (let i = 0; i < directives.length; i++) {
      const d = directives[i];
      const rest = directives.slice(i + 1);
      switch (d.name) {
        case "say":
          this.emit("agent.message", { content: marked(d.arg ?? "") });
          this.rt.said = true;
          break;
        case "think":
          this.emit("agent.thinking", { content: marked(d.arg ?? "") });
          break;
        case "tool":
        case "confirm": {
          const name = d.arg ?? "";
          const policy = builtinPolicy(this.session.agent.tools, name);
          if (!policy.enabled) {
            this.error("invalid_request_error", `Tool '${name}' is not enabled for this agent, so it was not used.`);
            break;
          }
          const ask = policy.ask || d.name === "confirm";
          const use = this.emit("agent.tool_use", { name, input: {}, evaluated_permission: ask ? "ask" : "allow" });
          if (ask) return this.pause({ tool_use_id: use.id, kind: "confirm", name }, rest);
          this.spanEnd();
          this.toolResult(use.id, marked(`${name} was not executed: the emulator runs no tools.`), false);
          this.spanStart();
          break;
        }
        case "custom": {
          const name = d.arg ?? "";
          if (!hasCustomTool(this.session.agent.tools, name)) {
            this.error("invalid_request_error", `The agent has no custom tool '${name}'.`);
            break;
          }
          const use = this.emit("agent.custom_tool_use", { name, input: {} });
          return this.pause({ tool_use_id: use.id, kind: "custom", name }, rest);
        }
        case "artifact": {
          const filename = d.arg || "artifact.txt";
          const file = storeFile(this.state, {
            filename,
            bytes: Buffer.from(`${EMULATOR_MARK} artifact '${filename}' of session ${this.session.id}\n`),
            purpose: "agent_output",
            scope: { type: "session", id: this.session.id },
          });
          this.emit("agent.artifact_delivered", { file_id: file.id, filename: file.filename });
          break;
        }
        case "error":
          this.error("api_error", d.arg || "Scripted error ([[error]]).");
          break;
        case "terminate":
          this.spanEnd();
          this.error("api_error", d.arg || "Scripted fatal error ([[terminate]]): the session is terminated.", false);
          this.rt.rest = [];
          this.status("terminated");
          return;
        case "wait":
          this.rt.waiting = true;
          this.rt.rest = rest;
          return;
        default:
          this.error("invalid_request_error", `Unknown directive [[${d.name}]]; see emulator/README.md.`);
      }
    }
    if (!this.rt.said) {
      const quoted = this.rt.text.replace(DIRECTIVE, "").trim().slice(0, 200);
      this.emit("agent.thinking", { content: marked("No model runs in the emulator; replying from a script.") });
      this.emit("agent.message", { content: marked(`Scripted reply (no model ran). You said: "${quoted}"`) });
    }
    this.idle({ type: "end_turn" });
  }

  private pause(pending: NonNullable<SessionRuntime["pending"]>, rest: Directive[]): void {
    this.spanEnd();
    this.rt.pending = pending;
    this.rt.rest = rest;
    this.status("idle", { stop_reason: { type: "requires_action", event_ids: [pending.tool_use_id] } });
  }

  /** Resumes a paused turn once its pending tool use has an answer. */
  resume(): void {
    const rest = this.rt.rest;
    this.rt.pending = undefined;
    this.run(rest);
  }
}

export const newRuntime = (): SessionRuntime => ({ rest: [], waiting: false, said: false, text: "" });

/** What the turn is doing now, as the rules for incoming events see it. */
const phase = (session: Session, rt: SessionRuntime) =>
  session.status === "terminated" ? "terminated" : rt.pending ? "awaiting" : rt.waiting || session.status === "running" ? "running" : "idle";

/** Refusals that depend on the session's state, checked for the whole batch before anything is stored. */
function check(session: Session, rt: SessionRuntime, events: Json[]): void {
  if (session.archived_at) throw conflict(`Session '${session.id}' is archived.`);
  if (session.status === "terminated") throw conflict(`Session '${session.id}' is terminated.`);
  let now = phase(session, rt);
  events.forEach((e, i) => {
    const param = `events[${i}]`;
    switch (e.type) {
      case "user.message":
        if (now !== "idle") throw conflict(`Session '${session.id}' is ${now === "awaiting" ? "waiting for a tool confirmation or result" : "running"}; send user.interrupt first.`);
        now = "running";
        break;
      case "user.interrupt":
        now = "idle";
        break;
      case "user.tool_confirmation":
      case "user.tool_result":
      case "user.custom_tool_result": {
        const key = e.type === "user.custom_tool_result" ? "custom_tool_use_id" : "tool_use_id";
        const kind = e.type === "user.custom_tool_result" ? "custom" : "confirm";
        const pending = rt.pending;
        if (now !== "awaiting" || !pending || pending.tool_use_id !== e[key] || pending.kind !== kind) {
          throw badRequest(`${e.type}: '${String(e[key])}' is not a tool use this session is waiting on.`, `${param}.${key}`);
        }
        now = "running";
        break;
      }
    }
  });
}

/**
 * Stores a batch of client events and runs the turn they start or resume. Returns the accepted
 * (client) events as stored, with their ids; the agent's events follow them in the log.
 */
export function receiveEvents(state: State, session: Session, events: Json[]): SessionEvent[] {
  const rt = (state.sessionRuntime[session.id] ??= newRuntime());
  check(session, rt, events);
  const turn = new Turn(state, session, rt);
  const accepted: SessionEvent[] = [];
  for (const e of events) {
    const { type, ...fields } = e;
    accepted.push(turn.emit(type as string, fields));
    switch (type) {
      case "user.message": {
        const said = (e.content as Json[]).map((b) => (b.type === "text" ? String(b.text) : "")).join("\n");
        Object.assign(rt, { text: said, said: false, rest: [], waiting: false, pending: undefined });
        turn.status("running");
        turn.run(parseDirectives(said));
        break;
      }
      case "user.interrupt":
        if (phase(session, rt) !== "idle") turn.idle({ type: "cancelled" });
        break;
      case "user.tool_confirmation": {
        turn.status("running");
        const pending = rt.pending!;
        const allowed = e.result === "allow";
        const why = allowed ? `${pending.name} was not executed: the emulator runs no tools.` : `${pending.name} was denied by the user.`;
        turn.toolResult(pending.tool_use_id, marked(why), !allowed);
        turn.resume();
        break;
      }
      case "user.tool_result":
      case "user.custom_tool_result":
        turn.status("running");
        turn.resume();
        break;
    }
  }
  session.updated_at = nowIso();
  return accepted;
}

/** `POST /sessions/{id}/cancel`: stops a running or paused turn; an idle session stays as it is. */
export function cancelTurn(state: State, session: Session): void {
  if (session.status === "terminated") throw conflict(`Session '${session.id}' is terminated.`);
  const rt = (state.sessionRuntime[session.id] ??= newRuntime());
  if (phase(session, rt) === "idle") return;
  new Turn(state, session, rt).idle({ type: "cancelled" });
}
