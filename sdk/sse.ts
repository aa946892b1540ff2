// A Server-Sent Events parser following the WHATWG HTML "event stream interpretation" rules:
// LF, CRLF or CR line ends (a CRLF may be split across chunks), `:` comments, `data` lines joined
// with "\n", `id` (ignored when it contains NUL) that persists across events, `retry` (digits
// only), an optional leading BOM, and UTF-8 decoded across chunk boundaries. Bytes in, messages
// out; no I/O, so every edge case is a unit test. A line longer than `maxLineChars` throws rather
// than buffering an endless line.
import { QoderError } from "./errors";

export interface SseMessage {
  /** The last event id in force when this message was dispatched ("" when none was ever set). */
  id: string;
  /** The `event` field; "message" when absent. */
  event: string;
  data: string;
}

/** The stream broke the SSE framing rules in a way we refuse to buffer (an endless line). */
export class SseParseError extends QoderError {}

export class SseParser {
  /** The id a reconnect sends as Last-Event-ID. */
  lastEventId = "";
  /** Reconnection delay requested by the server's `retry:` field, if any. */
  retryMs: number | undefined;

  readonly #decoder = new TextDecoder("utf-8");
  #buffer = "";
  #sawCR = false;
  #first = true;
  #data: string[] = [];
  #event = "";

  constructor(private readonly maxLineChars = 1024 * 1024) {}

  /** Feeds a chunk; returns the messages it completed. */
  feed(chunk: Uint8Array | string): SseMessage[] {
    let text = typeof chunk === "string" ? chunk : this.#decoder.decode(chunk, { stream: true });
    if (this.#first && text.length > 0) {
      this.#first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    const out: SseMessage[] = [];
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      // The LF of a CRLF whose CR ended the previous chunk (or line) is not a second line end.
      if (c === 10 && this.#sawCR && i === start && this.#buffer === "") {
        this.#sawCR = false;
        start = i + 1;
        continue;
      }
      this.#line(this.#buffer + text.slice(start, i), out);
      this.#buffer = "";
      this.#sawCR = c === 13;
      if (c === 13 && text.charCodeAt(i + 1) === 10) {
        i++;
        this.#sawCR = false;
      }
      start = i + 1;
    }
    if (start < text.length) {
      this.#sawCR = false;
      this.#buffer += text.slice(start);
      if (this.#buffer.length > this.maxLineChars) throw new SseParseError(`event stream line longer than ${this.maxLineChars} characters`);
    }
    return out;
  }

  /** The stream ended: an event without its terminating blank line is discarded, as the spec says. */
  end(): void {
    this.#buffer = "";
    this.#data = [];
    this.#event = "";
  }

  #line(line: string, out: SseMessage[]): void {
    if (line === "") {
      this.#dispatch(out);
      return;
    }
    if (line.startsWith(":")) return; // comment (heartbeats are often sent this way)
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    switch (field) {
      case "data":
        this.#data.push(value);
        break;
      case "event":
        this.#event = value;
        break;
      case "id":
        if (!value.includes("\0")) this.lastEventId = value;
        break;
      case "retry":
        if (/^\d+$/.test(value)) this.retryMs = Number(value);
        break;
      // Any other field is ignored.
    }
  }

  #dispatch(out: SseMessage[]): void {
    const data = this.#data;
    const event = this.#event;
    this.#data = [];
    this.#event = "";
    if (data.length === 0) return; // no data lines: nothing to dispatch (an id alone still counts)
    out.push({ id: this.lastEventId, event: event || "message", data: data.join("\n") });
  }
}
