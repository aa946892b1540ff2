// The environment lifecycle with the real Pulumi CLI against a real emulator process.
import type { EnvironmentArgs } from "../../provider";
import { eventOf, expectNoDrift, expectRecreatedAfterDelete, expectRefreshKeepsState, expectReplacedAfterArchive, refreshedFields, useKit, withWrites, type IdOf } from "../../testkit/kit";

const kit = useKit("kinds");
const main: EnvironmentArgs = {
  name: "ci",
  description: "CI sandbox",
  config: { networking: { type: "allowed_hosts", allowedHosts: ["api.example.com", "10.0.0.1"] }, packages: { apt: ["curl"] } },
  metadata: { team: "platform" },
};
const scratch: EnvironmentArgs = { name: "scratch", deletionPolicy: "delete" };
const args = (m: EnvironmentArgs) => ({ environments: { main: m, scratch } });
const mainId: IdOf = (o) => o.main.environmentId;

test("create, no-drift, update, drift, archive, out-of-band delete, destroy", async () => {
  const { api, stack } = kit;
  // 1. create: both exist with the program's fields (defaults applied: cloud, limited networking)
  stack.setArgs(args(main));
  const up = await stack.up();
  expect(up.summary).toEqual({ create: 3 });
  let id = up.outputs!.main.environmentId as string;
  const scratchId = up.outputs!.scratch.environmentId as string;
  expect(await api.environments.get(id)).toMatchObject({
    name: "ci",
    description: "CI sandbox",
    status: "ready",
    config: { type: "cloud", networking: { type: "allowed_hosts", allowed_hosts: ["api.example.com", "10.0.0.1"] }, packages: { apt: ["curl"] } },
    metadata: { team: "platform" },
  });
  expect((await api.environments.get(scratchId)).config).toEqual({ type: "cloud", networking: { type: "limited" } });
  const [res] = (await expectRefreshKeepsState(kit, "Environment")).filter((r) => r.id === id);
  expect(res.outputs).toMatchObject({ environmentId: id, status: "ready", archived: false });

  // 2. no-drift
  await expectNoDrift(kit);

  // 3. update one input: the preview names it, one PUT
  const edited = { ...main, description: "CI sandbox v2" };
  stack.setArgs(args(edited));
  const plan = await stack.preview();
  expect(plan.summary).toMatchObject({ update: 1, same: 2 });
  expect(eventOf(plan, "Environment", "main")).toMatchObject({ op: "update", diffs: ["description"] });
  expect((await withWrites(kit, () => stack.up())).writes).toEqual(["PUT /environments/{id}"]);
  expect((await api.environments.get(id)).description).toBe("CI sandbox v2");

  // 4. drift: networking opened and a metadata key added in the console
  await api.environments.update(id, { config: { type: "cloud", networking: { type: "unrestricted" } }, metadata: { owner: "bob" } });
  expect(await refreshedFields(kit, "Environment", "main")).toEqual(["config", "metadata"]);
  const converge = await stack.up(true);
  expect(converge.summary).toMatchObject({ update: 1 });
  const healed = await api.environments.get(id);
  expect(healed.config.networking).toEqual({ type: "allowed_hosts", allowed_hosts: ["api.example.com", "10.0.0.1"] });
  expect(healed.metadata).toEqual({ team: "platform" });
  await expectNoDrift(kit, true);

  // 6. archived out of band: archive is one-way, so only a new environment converges
  const newId = await expectReplacedAfterArchive(kit, id, () => api.environments.archive(id), mainId);
  expect((await api.environments.get(newId)).status).toBe("ready");
  expect((await api.environments.get(id)).status).toBe("archived"); // the old one is left as it was
  id = newId;

  // 5. out-of-band delete: refresh drops it, up recreates it
  id = await expectRecreatedAfterDelete(kit, id, () => api.environments.delete(id), mainId);
  expect((await api.environments.get(id)).description).toBe("CI sandbox v2");

  // 7. destroy: the default policy archives; deletionPolicy "delete" deletes
  const writes = (await withWrites(kit, () => stack.destroy())).writes;
  expect(writes.sort()).toEqual(["DELETE /environments/{id}", "POST /environments/{id}/archive"]);
  expect((await api.environments.get(id)).status).toBe("archived");
  await expect(api.environments.get(scratchId)).rejects.toMatchObject({ status: 404 });
});
