import { SseParser, SseParseError, type SseMessage } from "../../sdk";
import { TOKEN, ts, useFakeServer } from "./sdk-fake-server";

/** Feeds chunks to one parser and collects every message. */
function parse(...chunks: Array<string | Uint8Array>): { messages: SseMessage[]; parser: SseParser } {
  const parser = new SseParser();
  const messages = chunks.flatMap((c) => parser.feed(c));
  return { messages, parser };
}

describe("SseParser", () => {
  test("multi-line data is joined with \\n; event name, id", () => {
    expect(parse("id: 1\nevent: agent.message\ndata: line one\ndata: line two\n\n").messages).toEqual([{ id: "1", event: "agent.message", data: "line one\nline two" }]);
  });

  test("comments (heartbeats) and unknown fields are ignored; no data → no message", () => {
    const { messages, parser } = parse(": heartbeat\n\nfoo: bar\nid: 7\n\n:x\ndata\n\n");
    // `data` alone is a data line with an empty value; `id: 7` alone dispatches nothing but is kept.
    expect(messages).toEqual([{ id: "7", event: "message", data: "" }]);
    expect(parser.lastEventId).toBe("7");
  });

  test("CRLF, CR and LF line ends, including a CRLF split across chunks", () => {
    expect(parse("data: a\r\n\r\ndata: b\r\rdata: c\n\n").messages.map((m) => m.data)).toEqual(["a", "b", "c"]);
    expect(parse("data: a\r", "\n", "\r", "\ndata: b\r", "\r").messages.map((m) => m.data)).toEqual(["a", "b"]);
  });

  test("fields, lines and UTF-8 characters split across chunks", () => {
    const bytes = Buffer.from("id: é1\ndata: {\"t\":\"héllo ✓\"}\n\n", "utf8");
    const chunks = [...bytes].map((b) => Uint8Array.of(b)); // one byte at a time
    expect(parse(...chunks).messages).toEqual([{ id: "é1", event: "message", data: '{"t":"héllo ✓"}' }]);
    expect(parse("da", "ta: x", "y\n", "\n").messages.map((m) => m.data)).toEqual(["xy"]);
  });

  test("retry takes digits only; an id with NUL is ignored; the id persists; a leading BOM is dropped", () => {
    const { messages, parser } = parse("\uFEFFretry: 250\nid: a\ndata: 1\n\nretry: soon\nid: b\0c\ndata: 2\n\n");
    expect(parser.retryMs).toBe(250);
    expect(messages).toEqual([
      { id: "a", event: "message", data: "1" },
      { id: "a", event: "message", data: "2" },
    ]);
  });

  test("only one leading space is stripped; a field without a colon has an empty value", () => {
    expect(parse("data:  two spaces\nevent\ndata:no space\n\n").messages).toEqual([{ id: "", event: "message", data: " two spaces\nno space" }]);
  });

  test("an unterminated event at the end is discarded; an endless line throws", () => {
    const p = new SseParser(16);
    expect(p.feed("data: partial")).toEqual([]);
    p.end();
    expect(p.feed("\n")).toEqual([]);
    expect(() => p.feed("data: " + "x".repeat(20))).toThrow(SseParseError);
  });
});

describe("event stream client (scripted server)", () => {
  const fake = useFakeServer();
  const sse = (...frames: Array<{ id: string; type: string }>) =>
    frames.map((f) => `id: ${f.id}\r\nevent: ${f.type}\r\ndata: ${JSON.stringify({ ...f, created_at: ts })}\r\n\r\n`).join("");
  const session = (status: string) => ({ json: { id: "sess_1", type: "session", status, created_at: ts, updated_at: ts } });

  test("resumes after a clean end with Last-Event-ID, drops a repeated event, skips heartbeats, stops at terminated", async () => {
    fake.reply(
      { headers: { "content-type": "text/event-stream" }, text: `retry: 5\n: ping\n\n${sse({ id: "evt_1", type: "agent.thinking" }, { id: "evt_2", type: "session.status_running" })}` },
      session("running"),
      {
        headers: { "content-type": "text/event-stream" },
        text: `event: heartbeat\ndata: {"type":"heartbeat"}\n\n${sse({ id: "evt_2", type: "session.status_running" }, { id: "evt_3", type: "session.status_terminated" })}`,
      },
    );
    const got: string[] = [];
    for await (const e of fake.client().sessions.events.stream("sess_1", { after: "evt_0" })) got.push(`${e.id}:${e.type}`);
    expect(got).toEqual(["evt_1:agent.thinking", "evt_2:session.status_running", "evt_3:session.status_terminated"]);
    const streams = fake.requests.filter((r) => r.path.endsWith("/events/stream"));
    expect(streams.map((r) => r.headers["last-event-id"])).toEqual(["evt_0", "evt_2"]);
    expect(streams[0].headers.accept).toBe("text/event-stream");
    expect(streams[0].headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  test("a clean end on a terminated session ends the iteration; 404 is not retried", async () => {
    fake.reply({ headers: { "content-type": "text/event-stream" }, text: "" }, session("terminated"));
    const it = fake.client().sessions.events.stream("sess_1");
    expect(await it.next()).toEqual({ done: true, value: undefined });
    fake.reply({ status: 404, json: { type: "error", error: { type: "not_found_error", message: "Session 'sess_1' was not found." } } });
    await expect(fake.client().sessions.events.stream("sess_1").next()).rejects.toMatchObject({ status: 404 });
  });
});
