// What `npm run demo` prints around a `pulumi up`: Pulumi's own log only when a step changes
// something (a no-op run stays a few lines), printed once, and on failure a closing summary of
// the errors — the file and field our messages name, no stack trace, and what to do next.
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { resourceName } from "./report";

/** Step ops that change the service or the state (refresh and same do not). */
const CHANGING = new Set(["create", "update", "delete", "replace", "create-replacement", "delete-replaced", "import", "discard"]);
const ANSI = /\u001b\[[0-9;]*m/g;
/** Pulumi's wrapper around an error a program threw. */
const PROGRAM_FAILED = /^Running program '[^']*' failed with an unhandled exception:\s*/;

export class HeldOutput {
  private held: string[] = [];
  private streaming = false;
  private readonly errors: Array<{ resource?: string; message: string }> = [];

  constructor(private readonly out: (s: string) => void) {}

  /** True once a step changed something (the log was then shown). */
  get changed(): boolean {
    return this.streaming;
  }

  readonly write = (s: string): void => {
    if (this.streaming) this.out(s);
    else this.held.push(s);
  };

  readonly onEvent = (e: EngineEvent): void => {
    const op = e.resourcePreEvent?.metadata.op;
    if (op && CHANGING.has(op)) this.show();
    const d = e.diagnosticEvent;
    if (d && d.severity === "error") {
      const message = errorMessage(d.message);
      // The stack's own "update failed" only says that something else failed.
      if (message && message !== "update failed" && !this.errors.some((x) => x.message === message)) {
        this.errors.push({ resource: d.urn ? resourceName(d.urn) : undefined, message });
      }
    }
  };

  /** Prints what was held back, then streams: the log appears once, whatever happens next. */
  show(): void {
    if (this.streaming) return;
    this.streaming = true;
    this.out(this.held.join(""));
    this.held = [];
  }

  /**
   * The run's errors as users should read them: one per cause. Errors that end in the same
   * explanation (" — the base URL is probably wrong…") are one cause hitting several resources:
   * the first is shown whole, the others by name.
   */
  get errorMessages(): string[] {
    const groups = new Map<string, Array<{ resource?: string; message: string }>>();
    for (const e of this.errors) {
      // The explanation names the request (" — POST <url> did not answer…"): not part of the cause.
      const cause = e.message.includes(" — ") ? e.message.slice(e.message.indexOf(" — ")).replace(/^ — [A-Z]+ \S+/, "") : e.message;
      groups.set(cause, [...(groups.get(cause) ?? []), e]);
    }
    return [...groups.values()].map(([first, ...rest]) => {
      // Our messages lead with the Fleet file when there is one; otherwise the resource says which.
      const named = /^[^\s:]+\/[^\s:]*: /.test(first.message);
      const head = first.resource && !named ? `${first.resource}: ${first.message}` : first.message;
      return rest.length ? `${head}\n(the same error for ${rest.map((e) => e.resource ?? "another resource").join(", ")})` : head;
    });
  }
}

/**
 * A diagnostic as the user should read it: no colour codes, no "Running program failed"
 * wrapper, and nothing from the first stack frame on (nor the inspected error object after it).
 */
export function errorMessage(diagnostic: string): string {
  const lines = diagnostic.replace(ANSI, "").replace(PROGRAM_FAILED, "").split("\n");
  const frame = lines.findIndex((l) => /^\s+at\s/.test(l));
  return (frame < 0 ? lines : lines.slice(0, frame))
    .map((l) => l.trimEnd())
    .filter((l) => l.trim())
    .join("\n")
    .replace(/^error: /, "")
    .trim();
}

/** What to do about a failure, from what its messages say. */
export function nextStep(messages: string[], rerun: string): string {
  const all = messages.join("\n");
  if (/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|fetch failed/.test(all)) return `Nothing answered at the base URL: check QODER_BASE_URL / qoder:baseUrl (or qoder:region), then run \`${rerun}\` again.`;
  if (/\b401\b|authentication_error|MissingToken/i.test(all)) return `Check the token (QODER_PAT or the secret qoder:token), then run \`${rerun}\` again.`;
  return `Fix what the message names, then run \`${rerun}\` again (what was already applied is in the state; nothing is redone).`;
}
