// Runs one case in its own session: sends each message, follows the event stream to the end of
// every turn (answering tool confirmations as the case says), checks the expectations, and
// cleans up. Cases share nothing: each gets its own client, session, uploads and timers.
import * as fs from "node:fs";
import * as path from "node:path";
import { APIConnectionError, eventText, isEvent, stopReasonType, userMessage, type QoderClient, type SessionEvent, type UserEvent } from "../../sdk";
import type { ClientEvent } from "../../sdk/options";
import { unmet, type Observed } from "./expect";
import type { AgentTarget, PlannedCase } from "./plan";
import type { TestCase } from "./cases";
import { clip, describeEvent, type TranscriptLine } from "./transcript";

export type Verdict = "passed" | "failed" | "error";
export type Cleanup = "delete" | "archive" | "keep";

export interface CaseResult {
  id: string;
  file: string;
  name: string;
  agent: AgentTarget;
  sessionId?: string;
  verdict: Verdict;
  /** Unmet expectations and limits (verdict "failed"). */
  failures: string[];
  /** What kept the case from running to a verdict (verdict "error"). */
  error?: string;
  turns: number;
  durationMs: number;
  /** `usage.total_credits` of the session, when the API reports it. */
  credits?: number;
  /** Stream connections lost and resumed. */
  reconnects: number;
  transcript: TranscriptLine[];
  notes: string[];
}

export interface RunOptions {
  /** A fresh client for the case, reporting its requests to `onEvent`. */
  client: (onEvent: (e: ClientEvent) => void) => QoderClient;
  cleanup: Cleanup;
  /** One progress line: an event as it arrives, or what the runner does. */
  progress: (caseId: string, turn: number, text: string, event?: SessionEvent) => void;
  /** Aborts every case (Ctrl-C). */
  signal?: AbortSignal;
}

/** Resumes of a stream the client gave up on, per turn, before the case is an error. */
const MAX_RESUMES = 3;
const TOOL_USES = new Set(["agent.tool_use", "agent.custom_tool_use", "agent.mcp_tool_use"]);

class WallTimeExceeded extends Error {}

export async function runCase(p: PlannedCase, o: RunOptions): Promise<CaseResult> {
  const t = p.test;
  const started = Date.now();
  const result: CaseResult = { id: t.id, file: t.file, name: t.name, agent: p.agent, verdict: "passed", failures: [], turns: 0, durationMs: 0, reconnects: 0, transcript: [], notes: [] };
  const events: SessionEvent[] = [];
  const toolNames = new Map<string, string>();
  const denied = new Set<string>();
  let streamConnections = 0;
  const client = o.client((e) => {
    if (e.kind === "request" && e.path.endsWith("/events/stream") && ++streamConnections > result.turns + result.reconnects) {
      // A second connection within one turn: the client resumed a dropped stream (Last-Event-ID).
      result.reconnects++;
      o.progress(t.id, result.turns, "stream reconnected; resuming after the last event received");
    }
  });
  const line = (text: string) => result.transcript.push({ turn: result.turns, text });
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(new WallTimeExceeded()), t.limits.wallTimeMs);
  const signal = o.signal ? AbortSignal.any([timeout.signal, o.signal]) : timeout.signal;
  const uploaded: string[] = [];

  const onEvent = (e: SessionEvent) => {
    events.push(e);
    if (TOOL_USES.has(e.type) && typeof (e as { name?: unknown }).name === "string") toolNames.set(e.id, (e as { name: string }).name);
    const text = describeEvent(e, toolNames);
    if (text === undefined) return;
    line(text);
    o.progress(t.id, result.turns, describeEvent(e, toolNames, 100)!, e);
  };

  /** Streams one turn after `after` until idle or terminated; undefined when aborted. */
  const readTurn = async (sessionId: string, after: string): Promise<SessionEvent | undefined> => {
    let last = after;
    for (let resumes = 0; ; resumes++) {
      try {
        for await (const e of client.sessions.events.stream(sessionId, { after: last, untilIdle: true, signal })) {
          last = e.id;
          onEvent(e);
          if (e.type === "session.status_idle" || e.type === "session.status_terminated") return e;
        }
        // Ended without an idle: aborted, or the session was terminated with no status event.
        return signal.aborted ? undefined : { id: last, type: "session.status_terminated" };
      } catch (err) {
        if (signal.aborted) return undefined;
        if (!(err instanceof APIConnectionError) || resumes >= MAX_RESUMES) throw err;
        result.reconnects++;
        o.progress(t.id, result.turns, `stream lost (${err.message}); resuming after ${last}`);
      }
    }
  };

  let sessionId: string | undefined;
  try {
    const resources = [
      ...p.memoryStores.map((m) => ({ type: "memory_store" as const, memory_store_id: m.id, access: m.access })),
      ...(await uploadFiles(p, client, signal, uploaded)).map((id) => ({ type: "file" as const, file_id: id })),
    ];
    const session = await client.sessions.create(
      {
        agent: { type: "agent", id: p.agent.id, version: p.agent.version },
        environment_id: p.environmentId,
        title: `qoder-test ${t.id}`,
        metadata: { qoder_test_case: t.id.slice(0, 256) },
        ...(p.vaultIds.length ? { vault_ids: p.vaultIds } : {}),
        ...(resources.length ? { resources } : {}),
      },
      { signal },
    );
    sessionId = result.sessionId = session.id;
    o.progress(t.id, 0, `session ${session.id} on ${p.agent.label}@${p.agent.version}`);

    let stopped = false;
    for (const [i, m] of t.messages.entries()) {
      const from = events.length;
      result.turns++;
      line(`> user: ${m.text}`);
      o.progress(t.id, result.turns, `> ${m.text.replace(/\s+/g, " ").slice(0, 100)}`);
      let [sent] = await client.sessions.events.send(session.id, [userMessage(m.text)], { signal });
      for (;;) {
        const end = await readTurn(session.id, sent.id);
        if (!end) {
          stopped = true;
          break;
        }
        if (end.type === "session.status_terminated") {
          stopped = true;
          if (i < t.messages.length - 1) result.failures.push(`the session was terminated before message ${i + 2} was sent`);
          break;
        }
        if (!isEvent(end, "session.status_idle") || stopReasonType(end) !== "requires_action") break;
        const answers = answersFor(end, events, t, denied);
        if (typeof answers === "string") {
          result.failures.push(answers);
          stopped = true;
          break;
        }
        if (result.turns >= t.limits.maxTurns) {
          result.failures.push(`more than ${t.limits.maxTurns} turns (limits.max_turns)`);
          stopped = true;
          break;
        }
        result.turns++;
        for (const a of answers) {
          const text = describeAnswer(a, toolNames);
          line(text);
          o.progress(t.id, result.turns, clip(text, 120));
        }
        [sent] = (await client.sessions.events.send(session.id, answers, { signal })).slice(-1);
      }
      if (!signal.aborted) result.failures.push(...unmet(m.expect, observe(events.slice(from), denied), `message ${i + 1}: `));
      if (stopped) break;
      if (i < t.messages.length - 1 && result.turns >= t.limits.maxTurns) {
        result.failures.push(`more than ${t.limits.maxTurns} turns (limits.max_turns)`);
        break;
      }
    }
    if (!signal.aborted) result.failures.push(...unmet(t.expect, observe(events, denied), "", { stopReason: "end_turn", allowErrors: false }));
  } catch (err) {
    if (!signal.aborted) result.error = err instanceof Error ? err.message : String(err);
  } finally {
    clearTimeout(timer);
  }
  if (timeout.signal.aborted) {
    result.failures.push(`did not finish within ${t.limits.wallTimeMs / 1000} s (limits.wall_time)`);
    if (sessionId) await client.sessions.cancel(sessionId, { timeoutMs: 10_000, maxRetries: 0 }).catch(() => undefined);
  } else if (o.signal?.aborted) result.error ??= "interrupted";
  if (sessionId) await finish(sessionId, client, o.cleanup, t.limits.maxCredits, result);
  for (const id of uploaded) await client.files.delete(id, { timeoutMs: 10_000 }).catch((e: Error) => result.notes.push(`uploaded file ${id} not deleted: ${e.message}`));
  result.verdict = result.error ? "error" : result.failures.length ? "failed" : "passed";
  result.durationMs = Date.now() - started;
  return result;
}

async function uploadFiles(p: PlannedCase, client: QoderClient, signal: AbortSignal, uploaded: string[]): Promise<string[]> {
  const ids: string[] = [];
  for (const f of p.files) {
    if (f.kind === "id") {
      ids.push(f.id);
      continue;
    }
    const file = await client.files.upload({ file: fs.readFileSync(f.path), filename: path.basename(f.path), metadata: { qoder_test_case: p.test.id } }, { signal });
    uploaded.push(file.id);
    ids.push(file.id);
  }
  return ids;
}

/** The case's answers to the tool uses an idle `requires_action` waits on, or why there are none. */
function answersFor(idle: SessionEvent, events: SessionEvent[], t: Pick<TestCase, "confirm" | "toolResults">, denied: Set<string>): UserEvent[] | string {
  const ids = isEvent(idle, "session.status_idle") && typeof idle.stop_reason === "object" ? (idle.stop_reason?.event_ids ?? []) : [];
  if (!ids.length) return "the agent stopped with requires_action but named no event to act on";
  const answers: UserEvent[] = [];
  for (const id of ids) {
    const use = events.find((e) => e.id === id);
    const name = (use as { name?: unknown } | undefined)?.name;
    if (!use || typeof name !== "string") return `the agent waits on event ${id}, which the stream did not deliver`;
    if (use.type === "agent.custom_tool_use") {
      const answer = t.toolResults[name] ?? t.toolResults["*"];
      if (!answer) return `the agent called custom tool ${name} and the case has no result for it (add tool_results: { ${name}: "what the tool returns" })`;
      answers.push({ type: "user.custom_tool_result", custom_tool_use_id: id, content: [{ type: "text", text: answer.text }], ...(answer.isError ? { is_error: true } : {}) });
      continue;
    }
    const decision = t.confirm[name] ?? t.confirm["*"];
    if (!decision) return `tool ${name} asked for confirmation and the case has no answer (add confirm: { ${name}: allow } or deny)`;
    if (decision === "deny") denied.add(id);
    answers.push({ type: "user.tool_confirmation", tool_use_id: id, result: decision });
  }
  return answers;
}

/** `> confirm Bash: allow`, `> result lookup_ticket: …`: the case's side of a turn, in the transcript. */
function describeAnswer(a: UserEvent, toolNames: ReadonlyMap<string, string>): string {
  if (a.type === "user.tool_confirmation") return `> confirm ${toolNames.get(a.tool_use_id) ?? a.tool_use_id}: ${a.result}`;
  if (a.type === "user.custom_tool_result") {
    return `> result ${toolNames.get(a.custom_tool_use_id) ?? a.custom_tool_use_id}${a.is_error ? " (error)" : ""}: ${clip(eventText(a), 500)}`;
  }
  return `> ${a.type}`;
}

function observe(events: SessionEvent[], denied: Set<string>): Observed {
  const o: Observed = { finalMessage: undefined, toolsUsed: [], toolsDenied: [], stopReason: undefined, errors: [] };
  for (const e of events) {
    if (isEvent(e, "agent.message")) o.finalMessage = eventText(e);
    else if (TOOL_USES.has(e.type)) {
      const name = String((e as { name?: unknown }).name);
      (denied.has(e.id) ? o.toolsDenied : o.toolsUsed).push(name);
    } else if (isEvent(e, "session.error")) o.errors.push(e.error.message);
    else if (isEvent(e, "session.status_idle")) o.stopReason = stopReasonType(e);
    else if (e.type === "session.status_terminated") o.stopReason = "terminated";
  }
  return o;
}

/** Credits, then the session archived, deleted or kept; trouble here is a note, not a verdict. */
async function finish(sessionId: string, client: QoderClient, cleanup: Cleanup, maxCredits: number | undefined, result: CaseResult): Promise<void> {
  const o = { timeoutMs: 15_000 };
  try {
    const credits = (await client.sessions.get(sessionId, o)).usage?.total_credits;
    if (credits !== undefined) result.credits = credits;
    if (maxCredits !== undefined) {
      if (credits === undefined) result.notes.push("limits.max_credits not checked: the API reported no usage for the session");
      else if (credits > maxCredits) result.failures.push(`used ${credits} credits, more than ${maxCredits} (limits.max_credits)`);
    }
    if (cleanup === "delete") await client.sessions.delete(sessionId, o);
    else if (cleanup === "archive") await client.sessions.archive(sessionId, o);
  } catch (e) {
    result.notes.push(`session ${sessionId}: ${cleanup === "keep" ? "usage not read" : `not ${cleanup}d`}: ${(e as Error).message}`);
  }
}
