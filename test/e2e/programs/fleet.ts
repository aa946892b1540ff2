// A Fleet over the directory the test names (QODER_E2E_ARGS: { dir }).
import * as qoder from "../../../provider";

export default function program(args: { dir: string }) {
  const fleet = new qoder.Fleet("fleet", { dir: args.dir });
  return { agents: fleet.agents, skills: fleet.skills, environments: fleet.environments, vaults: fleet.vaults, memoryStores: fleet.memoryStores, memories: fleet.memories, files: fleet.files };
}
