// A Fleet: every file under ./qoder becomes a resource (layout: docs/GITOPS.md in pulumi-qoder).
//   pulumi config set --secret qoder:token <personal access token>
//   pulumi config set --secret ticketsToken <token>   # named by qoder/vaults/tickets.yaml
import * as qoder from "pulumi-qoder";

// name → { id, version } per kind; agents also carry their session-time bindings
// (environmentId, vaultIds, memoryStoreIds) to pass when starting a session.
export const { agents, environments, skills, vaults, memoryStores, memories } = new qoder.Fleet("agents", { dir: "./qoder" });
