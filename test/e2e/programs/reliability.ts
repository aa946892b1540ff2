// Any mix of resources, described by the test (QODER_E2E_ARGS). A value `{ ref: "name.output" }`
// anywhere in `args` becomes an earlier resource's output, so tests can wire vaults to
// credentials and stores to memories without a program per shape.
import * as pulumi from "@pulumi/pulumi";
import * as qoder from "../../../provider";
import { ID_OUTPUT, type ResourceSpec, type ResourceType } from "../../../testkit/resource-specs";

const CLASSES: Record<ResourceType, new (name: string, args: any, opts?: pulumi.CustomResourceOptions) => pulumi.CustomResource> = {
  Agent: qoder.Agent,
  Environment: qoder.Environment,
  Skill: qoder.Skill,
  Vault: qoder.Vault,
  VaultCredential: qoder.VaultCredential,
  MemoryStore: qoder.MemoryStore,
  Memory: qoder.Memory,
};

function resolveRefs(v: unknown, made: Map<string, pulumi.CustomResource>): unknown {
  if (Array.isArray(v)) return v.map((x) => resolveRefs(x, made));
  if (v && typeof v === "object") {
    const ref = (v as { ref?: unknown }).ref;
    if (typeof ref === "string" && Object.keys(v).length === 1) {
      const [name, output] = ref.split(".");
      const r = made.get(name);
      if (!r) throw new Error(`ref ${ref}: no earlier resource named ${name}`);
      return (r as any)[output];
    }
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolveRefs(x, made)]));
  }
  return v;
}

export default function program(args: { resources?: ResourceSpec[] }) {
  const made = new Map<string, pulumi.CustomResource>();
  const out: Record<string, unknown> = {};
  for (const spec of args.resources ?? []) {
    const r = new CLASSES[spec.type](spec.name, resolveRefs(spec.args, made), spec.opts);
    made.set(spec.name, r);
    out[spec.name] = (r as any)[ID_OUTPUT[spec.type]];
  }
  return out;
}
