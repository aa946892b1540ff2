// A skill, an environment and an agent that uses both, wired through outputs in one stack.
import * as qoder from "../../../provider";

export default function program(args: { skillSource: string }) {
  const skill = new qoder.Skill("helper", { source: args.skillSource });
  const env = new qoder.Environment("sandbox", { name: "sandbox" });
  const agent = new qoder.Agent("reviewer", {
    name: "reviewer",
    model: "ultimate",
    skills: [skill.skillId],
    metadata: { environment: env.environmentId },
  });
  return { skillId: skill.skillId, skillVersion: skill.version, environmentId: env.environmentId, agentId: agent.agentId, agentVersion: agent.version };
}
