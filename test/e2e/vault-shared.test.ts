// A Vault that leaves `credentials` unset does not manage them, so VaultCredential resources (or
// the console) can add credentials to it without the vault deleting them on the next up.
import { expectNoDrift, useKit, withWrites } from "../../testkit/kit";
import { GH, JIRA, secretToken } from "../../testkit/vaults";

const kit = useKit("vault");

test("a credential-less Vault and VaultCredentials in one stack converge and stay put", async () => {
  const { api, stack } = kit;
  stack.setArgs({
    vaults: { shared: { displayName: "shared-tools" } },
    credentials: { gh: { vaultId: "ref:shared", mcpServerUrl: GH, token: secretToken("gh") } },
  });
  const up = await stack.up();
  expect(up.summary).toEqual({ create: 3 });
  const vaultId = up.outputs!.shared.vaultId as string;

  // A credential added in the console too: the vault reports it but does not remove it.
  await api.vaults.credentials.create(vaultId, { mcp_server_url: JIRA, protocol: "sse", type: "static_bearer", access_token: secretToken("console") });
  await stack.refresh();
  await expectNoDrift(kit);
  const again = await withWrites(kit, () => stack.up(true));
  expect(again.writes).toEqual([]);
  const live = await api.vaults.credentials.list(vaultId).toArray();
  expect(live.map((c: any) => c.mcp_server_url).sort()).toEqual([GH, JIRA].sort());

  await stack.destroy();
});
