import {
  AgentSchema,
  ResponseValidationError,
  VaultCredentialSchema,
  agentSystemPrompt,
  credentialAuthType,
  credentialServerUrl,
  modelId,
} from "../../sdk";
import { agent, page, ts, useFakeServer } from "./sdk-fake-server";

const s = useFakeServer();

describe("response validation", () => {
  test("a missing id names the field", async () => {
    const { id, ...noId } = agent();
    void id;
    s.reply({ json: noId, headers: { "x-request-id": "req_v" } });
    const err = await s.client().agents.get("agent_1").catch((e) => e);
    expect(err).toBeInstanceOf(ResponseValidationError);
    expect(err.path).toBe("id");
    expect(err.requestId).toBe("req_v");
    expect(err.message).toMatch(/^invalid response from GET \/agents\/agent_1: id: .*expected string.* \(request req_v\)$/);
  });

  test("a bad list item names its index", async () => {
    s.reply({ json: page([agent("agent_2"), { ...agent("agent_1"), version: "x" }], false) });
    const err = await s.client().agents.list().toArray().catch((e) => e);
    expect(err.path).toBe("data[1].version");
  });

  test("a non-JSON or empty 200 body is a validation error", async () => {
    s.reply({ text: "<html>gateway</html>" }, { status: 200 });
    const c = s.client();
    await expect(c.agents.get("a")).rejects.toMatchObject({ name: "ResponseValidationError", path: "(body)" });
    await expect(c.environments.get("e")).rejects.toThrow(/expected JSON, got an empty body/);
  });

  test("not retried: a malformed success is not transient", async () => {
    s.fallback = { text: "nope" };
    await expect(s.client().agents.get("a")).rejects.toBeInstanceOf(ResponseValidationError);
    expect(s.requests).toHaveLength(1);
  });
});

describe("documented alternates are accepted", () => {
  test("agent: model object, instructions mirror, unknown fields pass through, defaults fill gaps", () => {
    const a = AgentSchema.parse({
      id: "agent_1", name: "n", version: 2, created_at: ts, updated_at: ts,
      model: { id: "ultimate", effort: "high" }, instructions: "be brief", default_environment: "", future_field: { x: 1 },
    });
    expect(modelId(a.model)).toBe("ultimate");
    expect(modelId("auto")).toBe("auto");
    expect(agentSystemPrompt(a)).toBe("be brief");
    expect(a.future_field).toEqual({ x: 1 });
    expect(a.tools).toEqual([]);
    expect(a.metadata).toEqual({});
    expect(a.archived).toBeUndefined();
  });

  test("credential: flat and auth-object shapes", () => {
    const flat = VaultCredentialSchema.parse({ id: "vcred_1", vault_id: "vault_1", mcp_server_url: "https://a/mcp", protocol: "sse", type: "static_bearer", status: "active", created_at: ts, updated_at: ts });
    const nested = VaultCredentialSchema.parse({ id: "vcred_2", type: "vault_credential", auth: { type: "static_bearer", mcp_server_url: "https://b/mcp" }, display_name: null, metadata: {}, archived_at: null, created_at: ts, updated_at: ts });
    expect([credentialServerUrl(flat), credentialServerUrl(nested)]).toEqual(["https://a/mcp", "https://b/mcp"]);
    expect([credentialAuthType(flat), credentialAuthType(nested)]).toEqual(["static_bearer", "static_bearer"]);
  });

  test("skill: integer version on the skill, string version in /versions", async () => {
    s.reply(
      { json: { id: "skill_1", type: "skill", name: "s", description: "", skill_type: "custom", status: "active", version: 1, content_size: 3, content_sha256: "ab", metadata: {}, created_at: ts, updated_at: ts } },
      { json: { data: [{ version: "1", skill_id: "skill_1", status: "active", content_size: 3, content_sha256: "ab", created_at: ts, updated_at: ts }] } },
    );
    const c = s.client();
    expect((await c.skills.get("skill_1")).version).toBe(1);
    expect((await c.skills.listVersions("skill_1"))[0]!.version).toBe("1");
  });

  test("models: the unpaginated {data, has_more} envelope", async () => {
    s.reply({ json: { data: [{ id: "ultimate", type: "model", display_name: "Ultimate", efforts: ["low"] }], has_more: false } });
    expect((await s.client().models.list()).map((m) => m.id)).toEqual(["ultimate"]);
  });
});

describe("deletes tolerate 204 and 200-with-body", () => {
  test("agents.delete returns the body, or synthesises it from a 204", async () => {
    s.reply({ json: { type: "agent", id: "agent_1", deleted: true } }, { status: 204 });
    const c = s.client();
    await expect(c.agents.delete("agent_1")).resolves.toEqual({ type: "agent", id: "agent_1", deleted: true });
    await expect(c.agents.delete("agent_2")).resolves.toEqual({ type: "agent", id: "agent_2", deleted: true });
  });

  test("void deletes accept either", async () => {
    s.reply({ status: 204 }, { json: { id: "vcred_1", type: "vault_credential_deleted" } }, { json: { id: "skill_1", type: "skill_deleted" } });
    const c = s.client();
    await expect(c.vaults.delete("vault_1")).resolves.toBeUndefined();
    await expect(c.vaults.credentials.delete("vault_1", "vcred_1")).resolves.toBeUndefined();
    await expect(c.skills.delete("skill_1")).resolves.toBeUndefined();
  });
});
