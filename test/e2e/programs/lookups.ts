// The look-ups in a program: the account's models, and an existing agent, latest and pinned.
import * as qoder from "../../../provider";

export default async function program(args: { agentId: string; version: number }) {
  const models = await qoder.getModels();
  const agent = await qoder.getAgent({ agentId: args.agentId });
  const pinned = await qoder.getAgent({ agentId: args.agentId, version: args.version });
  return { models, agent, pinned };
}
