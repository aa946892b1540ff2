// Responses are read up to maxResponseBytes: a huge or endless body is cut off, not buffered.
import { agent, useFakeServer } from "./sdk-fake-server";

const s = useFakeServer();
const MiB = 1024 * 1024;

test("a body over maxResponseBytes stops the read, destroys the stream and is not retried", async () => {
  s.reply({ stream: { bytes: 32 * MiB } });
  const err = await s.client({ maxResponseBytes: 256 * 1024 }).agents.get("agent_1").catch((e) => e);
  expect(err.name).toBe("ResponseTooLargeError");
  expect(err.limit).toBe(256 * 1024);
  expect(err.message).toBe(`GET ${s.url}/api/v1/cloud/agents/agent_1: the response exceeds 256 KB (maxResponseBytes); the read was stopped`);
  await s.requests[0]!.closed;
  // Well under the 32 MiB the server would have sent: only what was in flight when the client hung up.
  expect(s.requests[0]!.sentBytes).toBeLessThan(8 * MiB);
  expect(s.requests).toHaveLength(1);
});

test("the default cap is 64 MiB; a declared Content-Length over it is refused before reading", async () => {
  s.reply({ stream: { bytes: 256 * MiB }, headers: { "content-length": String(256 * MiB) } });
  const err = await s.client().agents.get("agent_1").catch((e) => e);
  expect(err.name).toBe("ResponseTooLargeError");
  expect(err.limit).toBe(64 * MiB);
  expect(err.message).toMatch(/exceeds 64 MB \(maxResponseBytes\)/);
  await s.requests[0]!.closed;
  expect(s.requests[0]!.sentBytes).toBeLessThan(16 * MiB);
});

test("a body under the cap is read normally", async () => {
  s.reply({ json: agent("agent_1", { system: "y".repeat(100_000) }) });
  const a = await s.client({ maxResponseBytes: 200_000 }).agents.get("agent_1");
  expect(a.system).toHaveLength(100_000);
});
