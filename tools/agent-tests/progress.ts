// What qoder-test prints while it runs: a line per event of interest as it arrives
// (`reviewer/smoke turn 1: agent.tool_use Read`), a verdict per case, the transcript of a failure.
// Everything goes through redact(): an agent may echo a token it was given.
import type { SessionEvent } from "../../sdk";
import { redact } from "../../sdk/redact";
import { failureText } from "./reports";
import type { CaseResult } from "./run-case";

/** Event types shown without --verbose; runner lines (no event) always are. */
const SHOWN = new Set([
  "agent.message",
  "agent.tool_use",
  "agent.custom_tool_use",
  "agent.mcp_tool_use",
  "agent.tool_result",
  "agent.artifact_delivered",
  "session.error",
  "session.status_idle",
  "session.status_terminated",
]);

export class Progress {
  constructor(
    private readonly output: "quiet" | "normal" | "verbose",
    private readonly write: (s: string) => void = (s) => process.stdout.write(s),
  ) {}

  line(s: string): void {
    this.write(redact(s) + "\n");
  }

  event(caseId: string, turn: number, text: string, e?: SessionEvent): void {
    if (this.output === "quiet") return;
    if (e && this.output !== "verbose" && !SHOWN.has(e.type)) return;
    this.line(`${caseId}${turn ? ` turn ${turn}` : ""}: ${text}`);
  }

  verdict(r: CaseResult): void {
    const label = { passed: "PASS", failed: "FAIL", error: "ERROR" }[r.verdict];
    const turns = `${r.turns} turn${r.turns === 1 ? "" : "s"}`;
    this.line(`${label} ${r.id} (${r.agent.label}@${r.agent.version}, ${turns}, ${(r.durationMs / 1000).toFixed(1)} s${r.credits !== undefined ? `, ${r.credits} credits` : ""})`);
    if (r.verdict !== "passed") this.line(failureText(r).replace(/^(?=.)/gm, "    "));
    else for (const n of r.notes) this.line(`    note: ${n}`);
  }
}
