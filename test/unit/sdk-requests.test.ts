// The exact request forms the client sends (method, path, body) for each operation.
import { agent, ts, useFakeServer } from "./sdk-fake-server";

const s = useFakeServer();

const base = { created_at: ts, updated_at: ts, metadata: {} };
const sent = () => s.requests.map((r) => `${r.method} ${r.path}${r.query.size ? `?${r.query}` : ""}`);

test("agent operations", async () => {
  s.fallback = { json: agent() };
  const c = s.client();
  await c.agents.create({ name: "a", model: { id: "ultimate", effort: "high" }, metadata: { team: "x" } });
  await c.agents.get("agent_1", { version: 2 });
  await c.agents.update("agent_1", { version: 1, description: null, metadata: { team: null, env: "prod" }, tools: [] });
  await c.agents.archive("agent_1");
  expect(sent()).toEqual(["POST /agents", "GET /agents/agent_1?version=2", "PUT /agents/agent_1", "POST /agents/agent_1/archive"]);
  expect(s.requests[0]!.json()).toEqual({ name: "a", model: { id: "ultimate", effort: "high" }, metadata: { team: "x" } });
  expect(s.requests[0]!.headers["content-type"]).toBe("application/json");
  // Update bodies are passed through untouched, nulls included.
  expect(s.requests[2]!.json()).toEqual({ version: 1, description: null, metadata: { team: null, env: "prod" }, tools: [] });
  expect(s.requests[3]!.body.length).toBe(0);
  expect(s.requests[3]!.headers["idempotency-key"]).toBeDefined();
});

test("ids are escaped into a single path segment", async () => {
  s.fallback = { json: agent() };
  await s.client().agents.get("../vaults/x?y");
  expect(s.requests[0]!.path).toBe("/agents/..%2Fvaults%2Fx%3Fy");
});

test("environment, memory store and memory updates use their documented verbs", async () => {
  const c = s.client();
  s.reply(
    { json: { ...base, id: "env_1", name: "e", config: { type: "cloud" } } },
    { json: { ...base, id: "memstore_1", name: "m", description: "d" } },
    { json: { ...base, id: "mem_1", path: "notes/a.md", version: 2 } },
    { json: { ...base, id: "skill_1", name: "s", version: 2 } },
  );
  await c.environments.update("env_1", { config: { type: "cloud", networking: { type: "unrestricted" } }, metadata: { a: null } });
  await c.memoryStores.update("memstore_1", { description: "d2", metadata: { k: null } });
  await c.memoryStores.memories.update("memstore_1", "mem_1", { content: "new", version: 1 });
  await c.skills.update("skill_1", { content: "UEsDBA==", content_encoding: "base64", metadata: { a: "b" } });
  expect(sent()).toEqual(["PUT /environments/env_1", "POST /memory_stores/memstore_1", "PUT /memory_stores/memstore_1/memories/mem_1", "PUT /skills/skill_1"]);
  expect(s.requests.map((r) => r.json())).toEqual([
    { config: { type: "cloud", networking: { type: "unrestricted" } }, metadata: { a: null } },
    { description: "d2", metadata: { k: null } },
    { content: "new", version: 1 },
    { content: "UEsDBA==", content_encoding: "base64", metadata: { a: "b" } },
  ]);
});

test("skill create is a multipart upload of a zip with optional fields", async () => {
  s.reply({ status: 201, json: { ...base, id: "skill_1", name: "s", version: 1 } }, { status: 201, json: { ...base, id: "skill_2", name: "s", version: 1 } });
  const zip = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x00, 0xff]);
  const c = s.client();
  await c.skills.create({ file: zip, name: "my-skill", description: "d", type: "custom", metadata: { k: "v" } });
  await c.skills.create({ file: zip, filename: "other.zip" });
  const [full, minimal] = s.requests;
  const ct = full!.headers["content-type"]!;
  expect(ct).toMatch(/^multipart\/form-data; boundary=/);
  const boundary = ct.split("boundary=")[1]!;
  const parts = full!.body.toString("latin1").split(`--${boundary}`).slice(1, -1);
  const byName = Object.fromEntries(parts.map((p) => [/name="([^"]+)"/.exec(p)![1], p]));
  expect(Object.keys(byName)).toEqual(["file", "name", "description", "type", "metadata"]);
  expect(byName.file).toContain('filename="skill.zip"');
  expect(byName.file).toContain("Content-Type: application/zip");
  expect(byName.file).toContain(Buffer.from(zip).toString("latin1"));
  expect(byName.metadata).toContain('\r\n\r\n{"k":"v"}\r\n');
  expect(byName.type).toContain("\r\n\r\ncustom\r\n");
  expect(minimal!.body.toString("latin1")).toContain('filename="other.zip"');
  expect(minimal!.body.toString("latin1")).not.toContain('name="name"');
});

test("skill get with content; vault and credential create in the flat shape", async () => {
  const c = s.client();
  s.reply(
    { json: { ...base, id: "skill_1", name: "s", version: 1, content: "UEs=", content_encoding: "base64" } },
    { status: 201, json: { ...base, id: "vault_1", display_name: "v", credentials: [{ id: "vcred_1", vault_id: "vault_1", mcp_server_url: "https://x/mcp", protocol: "streamable_http", type: "static_bearer", status: "active", created_at: ts, updated_at: ts }] } },
    { status: 201, json: { ...base, id: "vcred_2", mcp_server_url: "https://y/mcp", type: "static_bearer" } },
    { json: { ...base, id: "vcred_2", status: "archived", archived_at: ts } },
  );
  expect((await c.skills.get("skill_1", { includeContent: true })).content).toBe("UEs=");
  const cred = { mcp_server_url: "https://x/mcp", protocol: "streamable_http", type: "static_bearer", access_token: "secret" } as const;
  const v = await c.vaults.create({ display_name: "v", credentials: [cred] });
  expect(v.credentials?.[0]?.id).toBe("vcred_1");
  await c.vaults.credentials.create("vault_1", { ...cred, mcp_server_url: "https://y/mcp" });
  await c.vaults.credentials.archive("vault_1", "vcred_2");
  expect(sent()).toEqual(["GET /skills/skill_1?include_content=true", "POST /vaults", "POST /vaults/vault_1/credentials", "POST /vaults/vault_1/credentials/vcred_2/archive"]);
  expect(s.requests[2]!.json()).toEqual({ ...cred, mcp_server_url: "https://y/mcp" });
});
