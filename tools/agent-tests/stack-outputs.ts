// The ids a stack deployed, read with `pulumi stack output --json` (no program run, any backend
// the user has set up): the Fleet's per-kind maps `agents`, `environments`, `vaults`, `memoryStores`.
import { execFile } from "node:child_process";
import * as path from "node:path";
import { z } from "zod";
import { redact } from "../../sdk/redact";
import { toolEnv } from "../workspace";

const Entry = z.looseObject({ id: z.string().min(1), version: z.number().int().positive().optional() });
const AgentEntry = Entry.extend({
  environmentId: z.string().optional(),
  vaultIds: z.array(z.string()).optional().default([]),
  memoryStoreIds: z.array(z.string()).optional().default([]),
});

const OutputsSchema = z.looseObject({
  agents: z.record(z.string(), AgentEntry),
  environments: z.record(z.string(), Entry).optional(),
  vaults: z.record(z.string(), Entry).optional(),
  memoryStores: z.record(z.string(), Entry).optional(),
});
export type FleetOutputs = z.output<typeof OutputsSchema>;
export type FleetAgentOutput = z.output<typeof AgentEntry>;

/** The outputs' Fleet maps, or an error naming what is missing. `source` names the stack in messages. */
export function parseFleetOutputs(value: unknown, source: string): FleetOutputs {
  const r = OutputsSchema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const where = issue.path.join(".");
  if (where === "agents" && issue.code === "invalid_type") {
    throw new Error(`${source} has no \`agents\` output: export the Fleet's maps from the program (export const { agents, environments, vaults, memoryStores } = fleet)`);
  }
  throw new Error(`${source}: output ${where || "(root)"}: ${issue.message} (expected the maps a qoder.Fleet exports)`);
}

/** Runs `pulumi stack output --json --stack <stack>` in the project directory. */
export function readStackOutputs(cwd: string, stack: string, pulumiDir?: string): Promise<FleetOutputs> {
  const dir = path.resolve(cwd);
  const env = { ...process.env, ...toolEnv(pulumiDir) };
  return new Promise((resolve, reject) => {
    execFile("pulumi", ["stack", "output", "--json", "--stack", stack, "--cwd", dir, "--non-interactive"], { env, maxBuffer: 64 * 1024 * 1024, timeout: 120_000 }, (err, stdout, stderr) => {
      if (err) {
        const why = (stderr || err.message).trim().split("\n").slice(-5).join("\n");
        reject(new Error(redact(`pulumi stack output --stack ${stack} (in ${dir}) failed: ${why}`)));
        return;
      }
      try {
        resolve(parseFleetOutputs(JSON.parse(stdout), `stack ${stack}`));
      } catch (e) {
        reject(e instanceof SyntaxError ? new Error(`pulumi stack output --stack ${stack}: not JSON: ${e.message}`) : e);
      }
    });
  });
}
