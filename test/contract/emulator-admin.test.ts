// The /_emulator admin surface: the emulator's token, same-origin, JSON only.
import { errorOf, useEmulator } from "../../testkit/emulator-http";

const t = useEmulator();
const { api } = t;

const raw = (path: string, init: RequestInit = {}) => fetch(`${t.emu.origin}/_emulator/${path}`, init);
const auth = () => ({ authorization: `Bearer ${t.emu.token}` });
const agentCount = async () => (await api("GET", "/agents")).body.data.length;

describe("admin surface", () => {
  beforeAll(async () => {
    await api("POST", "/agents", { name: "precious", model: "auto", system: "a private prompt" });
  });

  test("every route needs the emulator's token", async () => {
    for (const [method, path] of [["GET", "state"], ["GET", "stats"], ["GET", "faults"], ["POST", "stats/reset"], ["POST", "reset"], ["PUT", "faults"]]) {
      const res = await raw(path, { method, headers: { "content-type": "application/json" }, body: method === "GET" ? undefined : "{}" });
      expect(res.status).toBe(401);
      const body = (await res.json()) as { error: { type: string } };
      expect(body.error.type).toBe("authentication_error");
    }
    const wrong = await raw("state", { headers: { authorization: "Bearer pt-not-it" } });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).not.toContain("a private prompt");
    expect(await agentCount()).toBe(1);
  });

  test("a cross-site text/plain POST cannot wipe the data or set faults", async () => {
    // What any web page can send without a preflight.
    const simple = { method: "POST", headers: { "content-type": "text/plain", origin: "https://evil.example" }, body: "x" };
    expect((await raw("reset", simple)).status).toBe(401);
    expect((await raw("faults", { ...simple, body: '{"errorRate":1}' })).status).toBe(401);
    // Even with the token, a foreign Origin or a non-JSON body is refused.
    const foreign = await raw("reset", { method: "POST", headers: { ...auth(), origin: "https://evil.example" } });
    expect(foreign.status).toBe(403);
    expect(((await foreign.json()) as { error: { type: string } }).error.type).toBe("permission_error");
    const plain = await raw("faults", { method: "PUT", headers: { ...auth(), "content-type": "text/plain" }, body: '{"errorRate":1}' });
    expect(plain.status).toBe(400);
    const form = await raw("reset", { method: "POST", headers: { ...auth(), "content-type": "application/x-www-form-urlencoded" }, body: "a=1" });
    expect(form.status).toBe(400);
    expect(await agentCount()).toBe(1);
    expect((await api("GET", "/agents")).status).toBe(200); // no faults were set
  });

  test("with the token, same origin (or none) and JSON, it works", async () => {
    const state = await raw("state", { headers: { ...auth(), origin: t.emu.origin } });
    expect(state.status).toBe(200);
    expect(await state.text()).toContain("a private prompt");
    expect((await t.admin("PUT", "/faults", { latencyMs: 1 })).body).toEqual({ latencyMs: 1 });
    expect((await t.admin("PUT", "/faults", {})).status).toBe(200);
    expect((await t.admin("GET", "/stats")).status).toBe(200);
    expect((await raw("reset", { method: "POST", headers: auth() })).status).toBe(200);
    expect(await agentCount()).toBe(0);
  });

  test("errors use the documented envelope without a stack trace", async () => {
    const res = await t.admin("PUT", "/faults", { errorRate: 7 });
    expect(errorOf(res)).toMatchObject({ status: 400, type: "invalid_request_error", param: "errorRate" });
    expect(res.body.request_id).toMatch(/^req_/);
  });
});
