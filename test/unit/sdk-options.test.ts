// Client options are checked at construction: a bad number or a base URL carrying a password
// is refused with a message naming the option and the rule (and never echoing the password).
import { inspect } from "node:util";
import { QoderClient, QoderError } from "../../sdk";
import { TOKEN, agent, useFakeServer } from "./sdk-fake-server";

const s = useFakeServer();

describe("numeric options", () => {
  test.each([
    ["timeoutMs", NaN, "timeoutMs must be a whole number ≥ 1 (got NaN)"],
    ["timeoutMs", 0, "timeoutMs must be a whole number ≥ 1 (got 0)"],
    ["maxRetries", -1, "maxRetries must be a whole number ≥ 0 (got -1)"],
    ["maxRetries", 1.5, "maxRetries must be a whole number ≥ 0 (got 1.5)"],
    ["retryBaseDelayMs", Infinity, "retryBaseDelayMs must be a whole number ≥ 0 (got Infinity)"],
    ["maxRetryDelayMs", "10" as unknown as number, 'maxRetryDelayMs must be a whole number ≥ 0 (got "10")'],
    ["maxBodyBytes", 0, "maxBodyBytes must be a whole number ≥ 1 (got 0)"],
    ["maxResponseBytes", -5, "maxResponseBytes must be a whole number ≥ 1 (got -5)"],
    ["maxListPages", 0, "maxListPages must be a whole number ≥ 1 (got 0)"],
  ])("%s = %p is refused", (name, value, message) => {
    const make = () => new QoderClient({ token: TOKEN, baseUrl: s.url, [name]: value });
    expect(make).toThrow(QoderError);
    expect(make).toThrow(message);
  });

  test("per-request timeoutMs and maxRetries are checked too, before anything is sent", async () => {
    const c = s.client();
    await expect(c.agents.get("agent_1", undefined, { timeoutMs: NaN })).rejects.toThrow("timeoutMs must be a whole number ≥ 1 (got NaN)");
    await expect(c.agents.get("agent_1", undefined, { maxRetries: -1 })).rejects.toThrow("maxRetries must be a whole number ≥ 0 (got -1)");
    expect(s.requests).toHaveLength(0);
  });

  test("valid numbers are accepted", async () => {
    s.reply({ json: agent() });
    const c = s.client({ timeoutMs: 5000, maxRetries: 0, retryBaseDelayMs: 0, maxRetryDelayMs: 0, maxListPages: 1 });
    await expect(c.agents.get("agent_1", undefined, { timeoutMs: 4000, maxRetries: 0 })).resolves.toMatchObject({ id: "agent_1" });
  });
});

describe("a base URL with credentials", () => {
  const withPassword = "https://user:hunter2-secret@gateway.example.com/api/v1/cloud";

  test("is refused, and the message shows neither the user nor the password", () => {
    const err = (() => {
      try {
        new QoderClient({ token: TOKEN, baseUrl: withPassword });
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(QoderError);
    expect(err!.message).toBe(
      'invalid baseUrl "https://***@gateway.example.com/api/v1/cloud": credentials in the URL are not supported (the API authenticates with the token)',
    );
    for (const out of [err!.message, err!.stack, inspect(err)]) expect(out).not.toMatch(/hunter2|user:/);
  });

  test("from QODER_BASE_URL too; and inspect/toJSON of a client never show one", () => {
    const saved = process.env.QODER_BASE_URL;
    process.env.QODER_BASE_URL = withPassword;
    try {
      expect(() => new QoderClient({ token: TOKEN })).toThrow(/credentials in the URL are not supported/);
    } finally {
      if (saved === undefined) delete process.env.QODER_BASE_URL;
      else process.env.QODER_BASE_URL = saved;
    }
    const c = s.client();
    expect(inspect(c)).toBe(`QoderClient { baseUrl: '${s.url}/api/v1/cloud' }`);
    expect(JSON.stringify(c)).toBe(JSON.stringify({ baseUrl: `${s.url}/api/v1/cloud` }));
  });

  test("a non-http or scheme-less URL with a password is not echoed either", () => {
    expect(() => new QoderClient({ token: TOKEN, baseUrl: "ftp://u:hunter2-secret@x" })).toThrow('invalid baseUrl "ftp://***@x": expected an http(s) URL');
    expect(() => new QoderClient({ token: TOKEN, baseUrl: "u:hunter2-secret@x" })).toThrow('invalid baseUrl "***@x": expected an http(s) URL');
  });
});
