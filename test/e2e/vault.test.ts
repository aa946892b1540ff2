// The vault lifecycle with the real Pulumi CLI against a real emulator process.
import { NotFoundError } from "../../sdk";
import { eventOf, expectNoDrift, refreshChanges, useKit, withWrites } from "../../testkit/kit";
import { CREDENTIAL_POST, GH, JIRA, liveCredentials, secretToken, SLACK } from "../../testkit/vaults";

const kit = useKit("vault");

test("create, no-drift, update, drift, out-of-band delete, replace, destroy", async () => {
  const { api, stack } = kit;
  const two = [
    { mcpServerUrl: GH, token: secretToken("gh") },
    { mcpServerUrl: JIRA, protocol: "sse" as const, token: secretToken("jira") },
  ];
  const vault = { displayName: "tools", metadata: { team: "platform" }, credentials: two };

  // 1. create: one POST /vaults carries the vault and its credentials
  stack.setArgs({ vaults: { tools: vault } });
  const created = await withWrites(kit, () => stack.up());
  expect(created.result.summary).toEqual({ create: 2 });
  expect(created.writes).toEqual(["POST /vaults"]);
  const vaultId = created.result.outputs!.tools.vaultId as string;
  expect(await api.vaults.get(vaultId)).toMatchObject({ display_name: "tools", metadata: { team: "platform" }, status: "active" });
  const creds = await liveCredentials(api, vaultId);
  expect(creds).toEqual({ [GH]: { id: expect.any(String), protocol: "streamable_http" }, [JIRA]: { id: expect.any(String), protocol: "sse" } });
  expect([...created.result.outputs!.tools.credentialIds].sort()).toEqual([creds[GH].id, creds[JIRA].id].sort());

  // 2. no-drift
  await expectNoDrift(kit);

  // 3. update one input (a third credential): one POST, named in the preview, same vault
  const three = [...two, { mcpServerUrl: SLACK, token: secretToken("slack") }];
  stack.setArgs({ vaults: { tools: { ...vault, credentials: three } } });
  expect(eventOf(await stack.preview(), "Vault")).toMatchObject({ op: "update", diffs: ["credentialRevisions", "credentials"] });
  const added = await withWrites(kit, () => stack.up());
  expect(added.writes).toEqual([CREDENTIAL_POST]);
  expect(added.result.outputs!.tools.vaultId).toBe(vaultId);
  expect(Object.keys(await liveCredentials(api, vaultId)).sort()).toEqual([GH, JIRA, SLACK].sort());

  // 4. drift: a credential deleted in the console; refresh sees it, up puts it back
  const before = await liveCredentials(api, vaultId);
  await api.vaults.credentials.delete(vaultId, before[JIRA].id);
  expect(refreshChanges(await stack.previewRefresh(), "Vault")).toEqual(["credentialIds"]);
  const converge = await withWrites(kit, () => stack.up(true));
  expect(converge.writes).toEqual([CREDENTIAL_POST]);
  const healed = await liveCredentials(api, vaultId);
  expect(healed[JIRA]).toEqual({ id: expect.any(String), protocol: "sse" });
  expect(healed[GH].id).toBe(before[GH].id);
  await expectNoDrift(kit, true);

  // 5. out-of-band delete: refresh drops it, up recreates it with all its credentials
  await api.vaults.delete(vaultId);
  expect((await stack.refresh()).summary).toMatchObject({ delete: 1 });
  const recreated = await stack.up();
  expect(recreated.summary).toMatchObject({ create: 1 });
  const secondId = recreated.outputs!.tools.vaultId as string;
  expect(secondId).not.toBe(vaultId);
  expect(Object.keys(await liveCredentials(api, secondId)).sort()).toEqual([GH, JIRA, SLACK].sort());

  // 6. a new displayName replaces the vault (the API cannot rename one); the old one is deleted
  // under its own policy ("delete"), while the new one is to be archived on destroy
  stack.setArgs({ vaults: { tools: { ...vault, credentials: three, displayName: "tools-v2", deletionPolicy: "archive" } } });
  const replaced = await stack.up();
  expect(replaced.summary).toMatchObject({ replace: 1 });
  const step = eventOf(replaced, "Vault");
  expect(step.op).toMatch(/replace/);
  expect([...step.diffs].sort()).toEqual(["deletionPolicy", "displayName"]);
  expect(step.keys).toEqual(["displayName"]); // the property that forces the replacement
  const thirdId = replaced.outputs!.tools.vaultId as string;
  expect(thirdId).not.toBe(secondId);
  expect(await api.vaults.get(thirdId)).toMatchObject({ display_name: "tools-v2" });
  await expect(api.vaults.get(secondId)).rejects.toBeInstanceOf(NotFoundError);

  // 7. destroy respects deletionPolicy: "archive" keeps the vault, archived
  const down = await withWrites(kit, () => stack.destroy());
  expect(down.writes).toEqual(["POST /vaults/{id}/archive"]);
  expect(await api.vaults.get(thirdId)).toMatchObject({ status: "archived" });
});
