// A wrong model name fails in preview, naming the agent's file (Fleet) and the valid ids, instead
// of at apply with only the agent's id. It costs one GET /models per provider process, made only
// when an agent's model is new or changed, so a no-op preview still makes no call at all.
// Without a token, or when the API cannot be asked, the check says nothing: apply still refuses
// the model, with the same list of valid ids (kinds/agent.ts).
import { containsUnknown, isRecord } from "./json";
import type { ProviderContext } from "./context";
import type { CheckFailure } from "./engine";

let models: Promise<string[] | undefined> | undefined;

function modelId(model: unknown): string | undefined {
  if (containsUnknown(model)) return undefined; // known at apply, and checked there
  const id = isRecord(model) ? model.id : model;
  return typeof id === "string" && id ? id : undefined;
}

function accountModels(ctx: ProviderContext): Promise<string[] | undefined> {
  models ??= (async () => {
    try {
      return (await ctx.client().models.list()).map((m) => m.id);
    } catch {
      models = undefined; // not remembered: a later check may have a token or a reachable API
      return undefined;
    }
  })();
  return models;
}

/** Forget what was fetched (a new `configure` may point at another account). */
export function forgetModels(): void {
  models = undefined;
}

export async function modelFailures(ctx: ProviderContext, olds: Record<string, unknown>, inputs: Record<string, unknown>): Promise<CheckFailure[]> {
  const id = modelId(inputs.model);
  if (!id || id === modelId(olds.model)) return [];
  const ids = await accountModels(ctx);
  if (!ids || ids.includes(id)) return [];
  const file = typeof inputs.sourceFile === "string" ? `${inputs.sourceFile}: ` : "";
  const reason = `${file}model: ${JSON.stringify(id)} is not a model this account may use; valid ids: ${ids.join(", ")}`;
  return [{ property: "model", reason }];
}
