import { BadRequestError, ConflictError, NotFoundError } from "../../sdk";
import { expectError, useEmulator } from "./client-harness";

const h = useEmulator();

test("environment lifecycle: create, get, list, update, archive, delete", async () => {
  const c = h.client();
  const config = { type: "cloud", networking: { type: "limited", allow_package_managers: true }, packages: { apt: ["curl"] } };
  const e = await c.environments.create({ name: "build", config, metadata: { a: "1", b: "2" } });
  expect(e).toMatchObject({ type: "environment", name: "build", description: "", status: "ready", config, archived: false, archived_at: null });
  expect(e.id).toMatch(/^env_[0-9a-f]{32}$/);
  await expect(c.environments.get(e.id)).resolves.toEqual(e);
  const listed = await c.environments.list().toArray();
  expect(listed.map((x) => x.id)).toContain(e.id);
  expect(listed.map((x) => x.name)).toContain("default");

  const newConfig = { type: "cloud", networking: { type: "allowed_hosts", allowed_hosts: ["pypi.org"] } };
  const u = await c.environments.update(e.id, { config: newConfig, description: "ci", metadata: { a: null, b: "", c: "3" } });
  // config is replaced wholesale; metadata null and "" both delete a key
  expect(u).toMatchObject({ config: newConfig, description: "ci", metadata: { c: "3" } });
  expect((await c.environments.update(e.id, { description: null })).description).toBe("");

  const a = await c.environments.archive(e.id);
  expect(a).toMatchObject({ status: "archived", archived: true });
  expect((await c.environments.list().toArray()).map((x) => x.id)).not.toContain(e.id);
  await expect(c.environments.delete(e.id)).resolves.toBeUndefined();
  await expectError(() => c.environments.get(e.id), NotFoundError, { status: 404, type: "not_found_error" });
});

describe("environment errors", () => {
  test.each([
    ["missing name", { config: { type: "cloud" } }, "name"],
    ["missing config", { name: "x" }, "config"],
    ["networking string shorthand", { name: "x", config: { type: "cloud", networking: "unrestricted" } }, "config.networking"],
    ["host with a scheme", { name: "x", config: { type: "cloud", networking: { type: "allowed_hosts", allowed_hosts: ["https://a.com"] } } }, "config.networking.allowed_hosts[0]"],
    ["unknown package manager", { name: "x", config: { type: "cloud", packages: { brew: ["x"] } } }, "config.packages.brew"],
  ])("%s → 400 with param", async (_what, body, param) => {
    await expectError(() => h.client().environments.create(body as never), BadRequestError, { status: 400, type: "invalid_request_error", param });
  });

  test("archive twice → 409; update while archived → 409; delete unknown → 404", async () => {
    const c = h.client();
    const e = await c.environments.create({ name: "x", config: { type: "cloud" } });
    await c.environments.archive(e.id);
    await expectError(() => c.environments.archive(e.id), ConflictError, { status: 409, type: "conflict_error" });
    await expectError(() => c.environments.update(e.id, { name: "y" }), ConflictError, { status: 409 });
    await c.environments.delete(e.id);
    await expectError(() => c.environments.delete(e.id), NotFoundError, { status: 404, type: "not_found_error" });
  });
});
