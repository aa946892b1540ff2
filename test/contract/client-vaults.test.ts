import { BadRequestError, ConflictError, NotFoundError, credentialAuthType, credentialServerUrl } from "../../sdk";
import { expectError, useEmulator } from "./client-harness";

const h = useEmulator();
const cred = (url: string) => ({ mcp_server_url: url, protocol: "streamable_http", type: "static_bearer", access_token: "tok-SECRET-value" }) as const;

test("vault lifecycle with credentials; the secret is never echoed", async () => {
  const c = h.client();
  const v = await c.vaults.create({ display_name: "mcp", credentials: [cred("https://a.example/mcp")], metadata: { k: "v" } });
  expect(v).toMatchObject({ type: "vault", display_name: "mcp", status: "active", metadata: { k: "v" } });
  expect(v.id).toMatch(/^vault_[0-9a-f]{32}$/);
  expect(v.credentials).toHaveLength(1);
  const first = v.credentials![0]!;
  expect(credentialServerUrl(first)).toBe("https://a.example/mcp");
  expect(credentialAuthType(first)).toBe("static_bearer");
  expect(JSON.stringify(v)).not.toContain("tok-SECRET-value");

  expect((await c.vaults.get(v.id)).display_name).toBe("mcp");
  expect((await c.vaults.list({ name: "mc" }).toArray()).map((x) => x.id)).toContain(v.id);

  const second = await c.vaults.credentials.create(v.id, cred("https://b.example/mcp"));
  expect(second.id).toMatch(/^vcred_[0-9a-f]{32}$/);
  expect(credentialServerUrl(await c.vaults.credentials.get(v.id, second.id))).toBe("https://b.example/mcp");
  const listed = await c.vaults.credentials.list(v.id).toArray();
  expect(listed.map(credentialServerUrl).sort()).toEqual(["https://a.example/mcp", "https://b.example/mcp"]);
  expect(JSON.stringify(listed)).not.toContain("tok-SECRET-value");

  const archived = await c.vaults.credentials.archive(v.id, second.id);
  expect(archived.status).toBe("archived");
  expect((await c.vaults.credentials.list(v.id).toArray()).map((x) => x.id)).toEqual([first.id]);
  expect(await c.vaults.credentials.list(v.id, { include_archived: true }).toArray()).toHaveLength(2);
  await expect(c.vaults.credentials.delete(v.id, second.id)).resolves.toBeUndefined();
  await expectError(() => c.vaults.credentials.get(v.id, second.id), NotFoundError, { status: 404, type: "not_found_error" });

  expect((await c.vaults.archive(v.id)).status).toBe("archived");
  expect((await c.vaults.list().toArray()).map((x) => x.id)).not.toContain(v.id);
  await expect(c.vaults.delete(v.id)).resolves.toBeUndefined();
  await expectError(() => c.vaults.get(v.id), NotFoundError, { status: 404 });
  // Deleting the vault cascades to its credentials.
  await expectError(() => c.vaults.credentials.get(v.id, first.id), NotFoundError, { status: 404 });
});

describe("vault errors", () => {
  test("missing display_name → 400 param display_name", async () => {
    await expectError(() => h.client().vaults.create({} as never), BadRequestError, { status: 400, type: "invalid_request_error", param: "display_name" });
  });

  test("a credential without access_token → 400 naming the nested param", async () => {
    const { access_token: _t, ...noToken } = cred("https://x.example/mcp");
    await expectError(() => h.client().vaults.create({ display_name: "v", credentials: [noToken as never] }), BadRequestError, { status: 400, param: "credentials[0].access_token" });
    const v = await h.client().vaults.create({ display_name: "v" });
    await expectError(() => h.client().vaults.credentials.create(v.id, noToken as never), BadRequestError, { status: 400, param: "access_token" });
    await expectError(() => h.client().vaults.credentials.create(v.id, { ...cred("https://x"), protocol: "ws" }), BadRequestError, { status: 400, param: "protocol" });
  });

  test("a second active credential for the same URL → 409; archive twice → 409", async () => {
    const c = h.client();
    const v = await c.vaults.create({ display_name: "dup", credentials: [cred("https://d.example/mcp")] });
    await expectError(() => c.vaults.credentials.create(v.id, cred("https://d.example/mcp")), ConflictError, { status: 409, type: "conflict_error" });
    const id = v.credentials![0]!.id;
    await c.vaults.credentials.archive(v.id, id);
    await expectError(() => c.vaults.credentials.archive(v.id, id), ConflictError, { status: 409 });
    // The URL is free again once the old credential is archived.
    await expect(c.vaults.credentials.create(v.id, cred("https://d.example/mcp"))).resolves.toMatchObject({ status: "active" });
  });

  test("writes under an archived vault → 409; unknown vault → 404", async () => {
    const c = h.client();
    const v = await c.vaults.create({ display_name: "old" });
    await c.vaults.archive(v.id);
    await expectError(() => c.vaults.credentials.create(v.id, cred("https://z.example/mcp")), ConflictError, { status: 409 });
    await expectError(() => c.vaults.archive(v.id), ConflictError, { status: 409 });
    await expectError(() => c.vaults.credentials.list("vault_missing").toArray(), NotFoundError, { status: 404, type: "not_found_error" });
  });
});
