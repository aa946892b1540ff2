import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { errorOf, useEmulator } from "../../testkit/emulator-http";

const SECRET = "sk-super-secret-value-123";
const dataFile = join(mkdtempSync(join(tmpdir(), "qoder-emu-")), "state.json");
const t = useEmulator({ dataFile });
const { api } = t;

const flat = { mcp_server_url: "https://mcp.example.com/sse", protocol: "sse", type: "static_bearer", access_token: SECRET };

describe("vaults and credentials", () => {
  test("vault lifecycle with credentials in the create call", async () => {
    const create = await api("POST", "/vaults", { display_name: "v1", metadata: { a: "1" }, credentials: [flat] });
    expect(create.status).toBe(201);
    const vault = create.body;
    expect(vault).toMatchObject({
      id: expect.stringMatching(/^vault_[0-9a-f]{32}$/),
      type: "vault",
      display_name: "v1",
      status: "active",
      metadata: { a: "1" },
      archived_at: null,
    });
    expect(vault.credentials).toEqual([
      {
        id: expect.stringMatching(/^vcred_[0-9a-f]{32}$/),
        type: "static_bearer",
        vault_id: vault.id,
        mcp_server_url: flat.mcp_server_url,
        protocol: "sse",
        auth: { type: "static_bearer", mcp_server_url: flat.mcp_server_url },
        status: "active",
        display_name: null,
        metadata: {},
        archived_at: null,
        created_at: expect.any(String),
        updated_at: expect.any(String),
      },
    ]);
    const got = await api("GET", `/vaults/${vault.id}`);
    expect(got.body).not.toHaveProperty("credentials");
    expect((await api("GET", "/vaults")).body.data[0]).toEqual(got.body);

    const archived = await api("POST", `/vaults/${vault.id}/archive`);
    expect(archived.body).toMatchObject({ status: "archived", archived_at: expect.any(String) });
    expect(errorOf(await api("POST", `/vaults/${vault.id}/archive`))).toMatchObject({ status: 409, type: "conflict_error" });
    expect((await api("GET", "/vaults")).body.data).toEqual([]);
    expect((await api("GET", "/vaults?status=archived")).body.data).toHaveLength(1);

    expect((await api("DELETE", `/vaults/${vault.id}`)).status).toBe(204);
    expect(errorOf(await api("GET", `/vaults/${vault.id}`))).toMatchObject({ status: 404, message: `Vault '${vault.id}' was not found.` });
    expect(errorOf(await api("GET", `/vaults/${vault.id}/credentials/${vault.credentials[0].id}`))).toMatchObject({ status: 404 });
  });

  test("vault update: display_name and metadata patch", async () => {
    const { body: vault } = await api("POST", "/vaults", { display_name: "before", metadata: { a: "1", b: "2" } });
    const res = await api("POST", `/vaults/${vault.id}`, { display_name: "after", metadata: { a: null, c: "3" } });
    expect(res.body).toMatchObject({ display_name: "after", metadata: { b: "2", c: "3" } });
    expect(errorOf(await api("PUT", `/vaults/${vault.id}`, { display_name: "" }))).toMatchObject({ status: 400, param: "display_name" });
    await api("POST", `/vaults/${vault.id}/archive`);
    expect(errorOf(await api("POST", `/vaults/${vault.id}`, { display_name: "x" }))).toMatchObject({ status: 409, type: "conflict_error" });
  });

  test("credential lifecycle, both request shapes", async () => {
    const { body: vault } = await api("POST", "/vaults", { display_name: "v2" });
    expect(vault.credentials).toEqual([]);
    const a = await api("POST", `/vaults/${vault.id}/credentials`, flat);
    expect(a.status).toBe(201);
    const b = await api("POST", `/vaults/${vault.id}/credentials`, {
      auth: { type: "static_bearer", mcp_server_url: "https://other.example.com/mcp", token: SECRET },
    });
    expect(b.status).toBe(201);
    expect(b.body).toMatchObject({ protocol: "streamable_http", mcp_server_url: "https://other.example.com/mcp", auth: { type: "static_bearer" } });

    const list = await api("GET", `/vaults/${vault.id}/credentials`);
    expect(list.body.data.map((c: { id: string }) => c.id)).toEqual([b.body.id, a.body.id]);
    expect((await api("GET", `/vaults/${vault.id}/credentials?name=OTHER`)).body.data).toHaveLength(1);
    expect((await api("GET", `/vaults/${vault.id}/credentials/${a.body.id}`)).body).toEqual(a.body);

    const arch = await api("POST", `/vaults/${vault.id}/credentials/${a.body.id}/archive`);
    expect(arch.body).toMatchObject({ status: "archived", archived_at: expect.any(String) });
    expect(errorOf(await api("POST", `/vaults/${vault.id}/credentials/${a.body.id}/archive`))).toMatchObject({ status: 409, type: "conflict_error" });
    expect((await api("GET", `/vaults/${vault.id}/credentials`)).body.data.map((c: { id: string }) => c.id)).toEqual([b.body.id]);
    expect((await api("GET", `/vaults/${vault.id}/credentials?include_archived=true`)).body.data).toHaveLength(2);
    // the archived one no longer blocks its URL
    expect((await api("POST", `/vaults/${vault.id}/credentials`, flat)).status).toBe(201);

    const del = await api("DELETE", `/vaults/${vault.id}/credentials/${b.body.id}`);
    expect(del.body).toEqual({ id: b.body.id, type: "vault_credential_deleted" });
    expect(errorOf(await api("GET", `/vaults/${vault.id}/credentials/${b.body.id}`))).toMatchObject({ status: 404, type: "not_found_error" });
  });

  test("credential validation and duplicate URLs", async () => {
    const { body: vault } = await api("POST", "/vaults", { display_name: "v3", credentials: [flat] });
    const { access_token: _token, ...noToken } = flat;
    expect(errorOf(await api("POST", `/vaults/${vault.id}/credentials`, noToken))).toEqual({
      status: 400,
      type: "invalid_request_error",
      message: "Field 'access_token' is required for static_bearer type.",
      param: "access_token",
    });
    expect(errorOf(await api("POST", "/vaults", { display_name: "x", credentials: [noToken] }))).toMatchObject({
      status: 400,
      message: "Field 'access_token' is required for static_bearer type.",
      param: "credentials[0].access_token",
    });
    expect(errorOf(await api("POST", `/vaults/${vault.id}/credentials`, flat))).toMatchObject({ status: 409, type: "conflict_error" });
    expect(errorOf(await api("POST", "/vaults", { display_name: "x", credentials: [flat, flat] }))).toMatchObject({ status: 409 });
    expect(errorOf(await api("POST", `/vaults/${vault.id}/credentials`, { ...flat, protocol: "ws" }))).toMatchObject({ status: 400, param: "protocol" });
    expect(errorOf(await api("POST", `/vaults/${vault.id}/credentials`, { ...flat, type: "oauth" }))).toMatchObject({ status: 400, param: "type" });
    expect(errorOf(await api("POST", `/vaults/${vault.id}/credentials`, { ...flat, mcp_server_url: "ftp:x" }))).toMatchObject({ status: 400, param: "mcp_server_url" });
    expect(errorOf(await api("POST", "/vaults", {}))).toMatchObject({ status: 400, param: "display_name" });
    expect(errorOf(await api("POST", "/vaults", { display_name: "x".repeat(256) }))).toMatchObject({ status: 400, param: "display_name" });
    await api("POST", `/vaults/${vault.id}/archive`);
    expect(errorOf(await api("POST", `/vaults/${vault.id}/credentials`, { ...flat, mcp_server_url: "https://new" }))).toMatchObject({ status: 409 });
  });

  test("secrets are never returned, logged or persisted", async () => {
    await api("POST", "/vaults", { display_name: "leak", credentials: [flat] });
    const { body: v } = await api("POST", "/vaults", { display_name: "leak2" });
    await api("POST", `/vaults/${v.id}/credentials`, { auth: { type: "static_bearer", mcp_server_url: "https://z", token: SECRET } });
    await api("POST", `/vaults/${v.id}/credentials`, { auth: { type: "environment_variable", secret_name: "API_KEY", secret_value: SECRET } });
    const everything = await Promise.all([
      api("GET", "/vaults?include_archived=true"),
      api("GET", `/vaults/${v.id}/credentials`),
      t.admin("GET", "/state").then((r) => r.text),
      t.admin("GET", "/stats").then((r) => r.text),
    ]);
    for (const x of everything) expect(typeof x === "string" ? x : x.text).not.toContain(SECRET);
    expect(readFileSync(dataFile, "utf8")).not.toContain(SECRET);
  });
});
