// A vault's credentials are one secret list: masked, a rotation reads "[secret]" → "[secret]".
// The provider keeps a non-secret `credentialRevisions` map (MCP server URL → revision, bumped
// when the token changes), so a report can say which credential was added, removed or rotated
// without holding anything derived from a token.
import { isRecord } from "../provider/json";
import type { FieldReport } from "./report";

export const REVISIONS = "credentialRevisions";

function revisions(inputs: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  const r = inputs?.[REVISIONS];
  return isRecord(r) ? r : undefined;
}

/**
 * One row per credential that differs. `olds` undefined: a create (every credential is added).
 * Undefined when the revisions cannot tell (state written before the provider kept them).
 */
export function credentialChanges(olds: Record<string, unknown> | undefined, news: Record<string, unknown> | undefined): FieldReport[] | undefined {
  const [b, a] = [revisions(olds), revisions(news)];
  if (!a || (olds !== undefined && !b)) return undefined;
  const urls = [...new Set([...Object.keys(b ?? {}), ...Object.keys(a ?? {})])].sort();
  return urls.flatMap((url): FieldReport[] => {
    const field = `credential ${url}`;
    if (!b || !(url in b)) return [{ field, before: undefined, after: undefined, note: "added (token not shown)" }];
    if (!a || !(url in a)) return [{ field, before: undefined, after: undefined, note: "removed" }];
    return b[url] === a[url] ? [] : [{ field, before: undefined, after: undefined, note: "token rotated (not shown)" }];
  });
}
