// The demo project's program (root Pulumi.yaml): one Fleet over the sample configuration in
// qoder/. Its outputs are the per-kind maps from name to id (and version).
import * as qoder from "pulumi-qoder";

export const { agents, environments, skills, vaults, memoryStores, memories } = new qoder.Fleet("demo", { dir: "qoder" });
