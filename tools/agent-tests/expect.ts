// A case's expectations against what its session did. Pure: the observed facts in, one sentence
// per unmet expectation out (shown in the terminal, JUnit and the Markdown summary).
import { toRegExp, type Expectations } from "./cases";

export interface Observed {
  /** Text of the last `agent.message` (undefined: the agent said nothing). */
  finalMessage: string | undefined;
  /** Tools the agent used, in order; a use the case denied does not count. */
  toolsUsed: string[];
  /** Tools whose use the case denied. */
  toolsDenied: string[];
  /** The last stop: `end_turn`, `requires_action`, `cancelled`, or `terminated`. */
  stopReason: string | undefined;
  errors: string[];
}

const q = (s: string) => JSON.stringify(s);

/** `scope` prefixes each sentence ("message 2: ") for per-message expectations. */
export function unmet(e: Expectations, o: Observed, scope = "", defaults: { stopReason?: string; allowErrors?: boolean } = {}): string[] {
  const out: string[] = [];
  const say = (s: string) => out.push(scope + s);
  const msg = o.finalMessage;
  const noMessage = () => say("the agent sent no message");
  for (const s of e.contains ?? []) {
    if (msg === undefined) noMessage();
    else if (!msg.includes(s)) say(`final message does not contain ${q(s)}`);
  }
  for (const s of e.not_contains ?? []) if (msg?.includes(s)) say(`final message contains ${q(s)}`);
  if (e.matches !== undefined) {
    if (msg === undefined) noMessage();
    else if (!toRegExp(e.matches).test(msg)) say(`final message does not match ${e.matches}`);
  }
  if (e.not_matches !== undefined && msg !== undefined && toRegExp(e.not_matches).test(msg)) say(`final message matches ${e.not_matches}`);
  for (const t of e.tools_used ?? []) {
    if (!o.toolsUsed.includes(t)) say(`tool ${t} was not used${o.toolsDenied.includes(t) ? " (its use was denied)" : ""} (used: ${o.toolsUsed.join(", ") || "none"})`);
  }
  for (const t of e.tools_not_used ?? []) if (o.toolsUsed.includes(t)) say(`tool ${t} was used`);
  const stop = e.stop_reason ?? defaults.stopReason;
  if (stop !== undefined && o.stopReason !== stop) say(`stop reason ${o.stopReason ?? "(none: the turn did not end)"}, expected ${stop}`);
  const allowErrors = e.allow_errors ?? defaults.allowErrors ?? true;
  if (!allowErrors) for (const err of o.errors) say(`session.error: ${err} (set expect.allow_errors: true if this is expected)`);
  return out;
}
