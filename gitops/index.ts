// The demo project's program (root Pulumi.yaml): one Fleet over the sample configuration in
// qoder/. Its outputs are the per-kind maps from name to id (and version).
import * as qoder from "pulumi-qoder";

const fleet = new qoder.Fleet("demo", { dir: "qoder" });

export const agents = fleet.agents;
export const environments = fleet.environments;
export const skills = fleet.skills;
export const vaults = fleet.vaults;
export const memoryStores = fleet.memoryStores;
export const memories = fleet.memories;
