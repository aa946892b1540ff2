// The API refuses (in fact truncates) bodies over the sdk's maxBodyBytes: say so in preview,
// naming the largest field, instead of failing at apply time.
import { DEFAULT_LIMITS } from "../sdk";
import type { CheckProblem } from "./kinds/kind";

const mb = (n: number) => `${(n / 1048576).toFixed(1)} MB`;
/** The limit as users read it: "4 MB". */
export const BODY_LIMIT_TEXT = `${DEFAULT_LIMITS.maxBodyBytes / 1048576} MB`;

export function bodySizeProblems(inputs: object): CheckProblem[] {
  const size = Buffer.byteLength(JSON.stringify(inputs));
  if (size <= DEFAULT_LIMITS.maxBodyBytes) return [];
  const [largest] = Object.entries(inputs)
    .map(([k, v]) => [k, Buffer.byteLength(JSON.stringify(v ?? null))] as const)
    .sort((a, b) => b[1] - a[1]);
  return [{ path: largest[0], message: `the request would be ${mb(size)} (this field ${mb(largest[1])}); Qoder refuses bodies over ${BODY_LIMIT_TEXT}` }];
}
