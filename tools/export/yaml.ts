// YAML the same way every time: keys in an order we choose (not the API's), no line folding,
// and nothing that only restates a default (null, "", [], {}).
import { stringify } from "yaml";
import { isRecord } from "../../provider/json";

/** Keys that read best first in a nested mapping; the rest follow alphabetically. */
const LEADING = ["type", "name", "id", "url", "mcp_server_url", "mcp_server_name"];
/** User-owned values copied as the API holds them (a JSON schema's property order matters to readers). */
const VERBATIM = new Set(["input_schema"]);

function rank(k: string): number {
  const i = LEADING.indexOf(k);
  return i < 0 ? LEADING.length : i;
}

const byRank = (a: string, b: string) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);

/** Drops null, "", [] and {} under mapping keys (the Fleet reads absent as the same default) and orders keys. */
export function tidy(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(tidy);
  if (!isRecord(v)) return v;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v).sort(byRank)) {
    const value = VERBATIM.has(k) ? v[k] : tidy(v[k]);
    if (!isBlank(value)) out[k] = value;
  }
  return out;
}

function isBlank(v: unknown): boolean {
  return v === undefined || v === null || v === "" || (Array.isArray(v) && v.length === 0) || (isRecord(v) && Object.keys(v).length === 0);
}

/** `top` in the order given (a kind's schema order), each value tidied, blanks left out. */
export function mapping(top: Array<[string, unknown]>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of top) {
    const value = VERBATIM.has(k) ? v : tidy(v);
    if (!isBlank(value)) out[k] = value;
  }
  return out;
}

export function toYaml(value: Record<string, unknown>): string {
  return Object.keys(value).length ? stringify(value, { lineWidth: 0, indent: 2, aliasDuplicateObjects: false }) : "";
}
