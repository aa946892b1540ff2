import { errorOf, useEmulator } from "../../testkit/emulator-http";

const t = useEmulator();
const { api } = t;

const badRequest = (param: string) => ({ status: 400, type: "invalid_request_error", param });
const cloud = { type: "cloud", networking: { type: "limited", allow_package_managers: true }, packages: { apt: ["curl"], pip: [], npm: ["tsx"] } };

describe("environments", () => {
  test("a pre-provisioned default environment exists", async () => {
    const list = await api("GET", "/environments");
    expect(list.body.data).toEqual([
      expect.objectContaining({ name: "default", status: "ready", config: { type: "cloud", networking: { type: "limited" }, packages: {} } }),
    ]);
  });

  test("full lifecycle: create, get, update, archive, delete", async () => {
    const create = await api("POST", "/environments", { name: "ci", config: cloud, metadata: { a: "1", b: "2", c: "3" } });
    expect(create.status).toBe(201);
    const env = create.body;
    expect(env).toEqual({
      id: expect.stringMatching(/^env_[0-9a-f]{32}$/),
      type: "environment",
      name: "ci",
      description: "",
      status: "ready",
      config: cloud,
      metadata: { a: "1", b: "2", c: "3" },
      archived: false,
      archived_at: null,
      created_at: expect.any(String),
      updated_at: env.created_at,
    });
    expect((await api("GET", `/environments/${env.id}`)).body).toEqual(env);

    const allowed = { type: "cloud", networking: { type: "allowed_hosts", allowed_hosts: ["github.com", "10.0.0.1", "*.npmjs.org"] } };
    const put = await api("PUT", `/environments/${env.id}`, { config: allowed, metadata: { a: null, b: "", c: "33" }, description: "x" });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ config: allowed, metadata: { c: "33" }, description: "x", name: "ci" });
    const post = await api("POST", `/environments/${env.id}`, { name: "ci2" });
    expect(post.body).toMatchObject({ name: "ci2", config: allowed, description: "x" });

    const archived = await api("POST", `/environments/${env.id}/archive`);
    expect(archived.body).toMatchObject({ status: "archived", archived: true, archived_at: expect.any(String) });
    expect(errorOf(await api("POST", `/environments/${env.id}/archive`))).toMatchObject({ status: 409, type: "conflict_error" });
    expect(errorOf(await api("PUT", `/environments/${env.id}`, { name: "z" }))).toMatchObject({ status: 409, type: "conflict_error" });
    expect((await api("GET", "/environments")).body.data.map((e: { id: string }) => e.id)).not.toContain(env.id);
    expect((await api("GET", "/environments?include_archived=true")).body.data[0].id).toBe(env.id);

    const del = await api("DELETE", `/environments/${env.id}`);
    expect(del.status).toBe(204);
    expect(del.text).toBe("");
    expect(errorOf(await api("GET", `/environments/${env.id}`))).toMatchObject({
      status: 404,
      type: "not_found_error",
      message: `Environment '${env.id}' was not found.`,
    });
  });

  test("allowlist is accepted as an alias and self_hosted takes no cloud fields", async () => {
    const alias = await api("POST", "/environments", { name: "a", config: { type: "cloud", networking: { type: "allowlist", allowlist: ["pypi.org"] } } });
    expect(alias.status).toBe(201);
    expect((await api("POST", "/environments", { name: "s", config: { type: "self_hosted" } })).status).toBe(201);
    expect(errorOf(await api("POST", "/environments", { name: "s", config: { type: "self_hosted", setup_script: "x" } }))).toMatchObject(
      badRequest("config.setup_script"),
    );
  });

  test("create validation", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ config: cloud }, "name"],
      [{ name: "", config: cloud }, "name"],
      [{ name: "n" }, "config"],
      [{ name: "n", config: {} }, "config.type"],
      [{ name: "n", config: { type: "vm" } }, "config.type"],
      [{ name: "n", config: { type: "cloud", networking: "unrestricted" } }, "config.networking"],
      [{ name: "n", config: { type: "cloud", networking: { type: "open" } } }, "config.networking.type"],
      [{ name: "n", config: { type: "cloud", networking: { type: "allowed_hosts" } } }, "config.networking.allowed_hosts"],
      [{ name: "n", config: { type: "cloud", networking: { type: "allowed_hosts", allowed_hosts: ["https://github.com"] } } }, "config.networking.allowed_hosts[0]"],
      [{ name: "n", config: { type: "cloud", networking: { type: "allowed_hosts", allowed_hosts: ["github.com/path"] } } }, "config.networking.allowed_hosts[0]"],
      [{ name: "n", config: { type: "cloud", networking: { type: "limited", allow_package_managers: "yes" } } }, "config.networking.allow_package_managers"],
      [{ name: "n", config: { type: "cloud", packages: { brew: ["x"] } } }, "config.packages.brew"],
      [{ name: "n", config: { type: "cloud", packages: { apt: "curl" } } }, "config.packages.apt"],
      [{ name: "n", config: { type: "cloud", setup_script: 1 } }, "config.setup_script"],
      [{ name: "n", config: cloud, metadata: { k: 1 } }, "metadata.k"],
    ];
    for (const [body, param] of cases) {
      expect({ case: param, ...errorOf(await api("POST", "/environments", body)) }).toMatchObject({ case: param, ...badRequest(param) });
    }
    expect(errorOf(await api("POST", "/environments", { name: "n" })).message).toBe("Missing required field config");
  });
});
