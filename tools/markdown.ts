// Escaping for everything the reports put into Markdown (PR comments, issues). Resource names,
// field names and values come from files in the repository under review (a memory seed's file
// name can hold a newline and table markup), so none of them may add rows, links or HTML.

/** `@` as an entity: no @mention notifies anyone from a report. */
const ENTITY: Record<string, string> = { "<": "&lt;", ">": "&gt;", "&": "&amp;", "@": "&#64;" };

/** Text shown inside a table cell: one line, no cell breaks, no Markdown or HTML markup. */
export function tableCell(text: string): string {
  return oneLine(text).replace(/[\\`*_[\]!~|<>&@]/g, (c) => (ENTITY[c] ?? `\\${c}`));
}

/**
 * A code span that shows `text` literally: the backtick fence is one longer than the longest run
 * of backticks inside (CommonMark), and for a table cell pipes are escaped (GFM splits cells on
 * them even inside code spans).
 */
export function codeSpan(text: string, inTable = true): string {
  const s = oneLine(text);
  const fence = "`".repeat(longestRun(s, "`") + 1);
  // A space pad keeps a leading or trailing backtick from joining the fence; CommonMark strips one.
  const pad = s.startsWith("`") || s.endsWith("`") || (s.startsWith(" ") && s.endsWith(" ") && s.trim()) ? " " : "";
  const span = `${fence}${pad}${s}${pad}${fence}`;
  return inTable ? span.replace(/\|/g, "\\|") : span;
}

/** A fenced code block whose fence (at least three backticks) is longer than any run inside. */
export function codeBlock(text: string, info = ""): string {
  const fence = "`".repeat(Math.max(3, longestRun(text, "`") + 1));
  return `${fence}${oneLine(info)}\n${text}\n${fence}`;
}

/** Text inside an HTML element (`<summary>`): entities for the characters HTML gives meaning. */
export function htmlText(text: string): string {
  return oneLine(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Line breaks and other control characters shown as escapes, so a value stays on its row. */
export function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, (c) => (c === "\n" ? "\\n" : c === "\r" ? "\\r" : c === "\t" ? "\\t" : `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`));
}

function longestRun(s: string, ch: string): number {
  let best = 0;
  let run = 0;
  for (const c of s) {
    run = c === ch ? run + 1 : 0;
    best = Math.max(best, run);
  }
  return best;
}
