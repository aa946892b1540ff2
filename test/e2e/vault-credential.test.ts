// A standalone credential in a vault managed elsewhere, with the real Pulumi CLI against a real
// emulator process. Qoder has no credential update, so any change is a replacement.
import { NotFoundError } from "../../sdk";
import { eventOf, expectNoDrift, refreshChanges, useKit, withWrites } from "../../testkit/kit";
import { CREDENTIAL_DELETE, CREDENTIAL_POST, GH, JIRA, liveCredentials, secretToken } from "../../testkit/vaults";

const kit = useKit("vault");
let vaultId: string;
beforeAll(async () => {
  vaultId = (await kit.api.vaults.create({ display_name: "managed-elsewhere" })).id;
});

async function postsLogged() {
  return (await kit.emu.stats()).log.filter((e) => e.method === "POST");
}

test("create, no-drift, rotation, drift, out-of-band delete, replace, destroy", async () => {
  const { api, stack } = kit;
  const cred = { vaultId, mcpServerUrl: GH, token: secretToken("one") };

  // 1. create
  stack.setArgs({ credentials: { gh: cred } });
  const up = await stack.up();
  expect(up.summary).toEqual({ create: 2 });
  const firstId = up.outputs!.gh.credentialId as string;
  expect(await api.vaults.credentials.get(vaultId, firstId)).toMatchObject({ vault_id: vaultId, mcp_server_url: GH, protocol: "streamable_http", status: "active" });

  // 2. no-drift: neither a preview nor a refresh (--preview-only) reports a change
  await expectNoDrift(kit);
  expect(refreshChanges(await stack.previewRefresh(), "VaultCredential")).toEqual([]);

  // 3. a rotated token: previewed as a replacement of `token`; the old credential is deleted
  // before the new one is created (one active credential per URL), and nothing else is written
  const rotated = { ...cred, token: secretToken("two") };
  stack.setArgs({ credentials: { gh: rotated } });
  const plan = eventOf(await stack.preview(), "VaultCredential");
  expect(plan.op).toMatch(/replace/);
  expect(plan.diffs).toEqual(["token"]);
  const rotation = await withWrites(kit, () => stack.up());
  expect(rotation.writes).toEqual([CREDENTIAL_DELETE, CREDENTIAL_POST]);
  const [rotationPost] = await postsLogged();
  const secondId = rotation.result.outputs!.gh.credentialId as string;
  expect(secondId).not.toBe(firstId);
  expect(Object.values(await liveCredentials(api, vaultId)).map((c) => c.id)).toEqual([secondId]);

  // 4. drift: archived in the console; refresh sees it, up replaces it with an active one
  await api.vaults.credentials.archive(vaultId, secondId);
  expect(refreshChanges(await stack.previewRefresh(), "VaultCredential")).toEqual(["archived", "status"]);
  const converge = await withWrites(kit, () => stack.up(true));
  // Same inputs as the rotation, so the same Idempotency-Key: the server replays that answer,
  // whose credential is gone, and the engine creates again under a fresh key.
  expect(converge.writes).toEqual([CREDENTIAL_DELETE, CREDENTIAL_POST, CREDENTIAL_POST]);
  const [replayed, fresh] = await postsLogged();
  expect(replayed.idempotencyKey).toBe(rotationPost.idempotencyKey);
  expect(fresh.idempotencyKey).toMatch(new RegExp(`^${replayed.idempotencyKey}-`));
  const thirdId = converge.result.outputs!.gh.credentialId as string;
  expect(thirdId).not.toBe(secondId);
  expect(await api.vaults.credentials.get(vaultId, thirdId)).toMatchObject({ status: "active", mcp_server_url: GH });
  await expectNoDrift(kit, true);

  // 5. out-of-band delete: refresh drops it, up creates it again
  await api.vaults.credentials.delete(vaultId, thirdId);
  expect((await stack.refresh()).summary).toMatchObject({ delete: 1 });
  const recreated = await stack.up();
  expect(recreated.summary).toMatchObject({ create: 1 });
  const fourthId = recreated.outputs!.gh.credentialId as string;
  expect(fourthId).not.toBe(thirdId);
  expect(await api.vaults.credentials.get(vaultId, fourthId)).toMatchObject({ status: "active" });

  // 6. a new server URL replaces the credential too
  stack.setArgs({ credentials: { gh: { ...rotated, mcpServerUrl: JIRA } } });
  const moved = await withWrites(kit, () => stack.up());
  expect(eventOf(moved.result, "VaultCredential").diffs).toEqual(["mcpServerUrl"]);
  expect(moved.writes).toEqual([CREDENTIAL_DELETE, CREDENTIAL_POST]);
  const fifthId = moved.result.outputs!.gh.credentialId as string;
  expect(Object.keys(await liveCredentials(api, vaultId))).toEqual([JIRA]);

  // 7. destroy: the default deletionPolicy deletes the credential, the vault stays
  const down = await withWrites(kit, () => stack.destroy());
  expect(down.writes).toEqual([CREDENTIAL_DELETE]);
  await expect(api.vaults.credentials.get(vaultId, fifthId)).rejects.toBeInstanceOf(NotFoundError);
  expect(await api.vaults.get(vaultId)).toMatchObject({ status: "active" });
});
