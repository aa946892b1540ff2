// Credentials of a Vault converge through the credential endpoints: rotating a token, adding or
// removing a credential is an in-place update of the vault, one credential call per change.
import { eventOf, expectNoDrift, useKit, withWrites } from "../../testkit/kit";
import { CREDENTIAL_DELETE, CREDENTIAL_POST, GH, JIRA, liveCredentials, secretToken, SLACK } from "../../testkit/vaults";

const kit = useKit("vault");

type Cred = { mcpServerUrl: string; token: string };

test("rotate, add and remove credentials without replacing the vault", async () => {
  const { api, stack } = kit;
  const gh: Cred = { mcpServerUrl: GH, token: secretToken("gh") };
  const jira: Cred = { mcpServerUrl: JIRA, token: secretToken("jira") };
  stack.setArgs({ vaults: { tools: { displayName: "tools", credentials: [gh, jira] } } });
  const vaultId = (await stack.up()).outputs!.tools.vaultId as string;
  const before = await liveCredentials(api, vaultId);

  /** Applies a new credential list: previewed as an update of `credentials`, same vault after. */
  async function change(credentials: Cred[], expectedWrites: string[]) {
    stack.setArgs({ vaults: { tools: { displayName: "tools", credentials } } });
    expect(eventOf(await stack.preview(), "Vault")).toMatchObject({ op: "update", diffs: ["credentialRevisions", "credentials"] });
    const { result, writes } = await withWrites(kit, () => stack.up());
    expect(writes).toEqual(expectedWrites);
    expect(result.outputs!.tools.vaultId).toBe(vaultId);
    return liveCredentials(api, vaultId);
  }

  // rotation: the old credential goes first (one active credential per URL), then the new one
  const gh2 = { ...gh, token: secretToken("gh2") };
  const rotated = await change([gh2, jira], [CREDENTIAL_DELETE, CREDENTIAL_POST]);
  expect(rotated[GH].id).not.toBe(before[GH].id);
  expect(rotated[JIRA].id).toBe(before[JIRA].id);

  const slack = { mcpServerUrl: SLACK, token: secretToken("slack") };
  const added = await change([gh2, jira, slack], [CREDENTIAL_POST]);
  expect(Object.keys(added).sort()).toEqual([GH, JIRA, SLACK].sort());

  const removed = await change([slack, gh2], [CREDENTIAL_DELETE]);
  expect(removed).toEqual({ [GH]: added[GH], [SLACK]: added[SLACK] });

  // the same credentials listed in another order are the same vault
  stack.setArgs({ vaults: { tools: { displayName: "tools", credentials: [gh2, slack] } } });
  await expectNoDrift(kit, true);
});
