// A small unified line diff (LCS), so prompt changes read as text in reports and PR comments.

type Op = { kind: " " | "-" | "+"; line: string };

/** Past this many LCS cells the diff degrades to "all removed, all added". */
const MAX_CELLS = 16_000_000;

function ops(a: string[], b: string[]): Op[] {
  const n = a.length;
  const m = b.length;
  if (n * m > MAX_CELLS) return [...a.map((line) => ({ kind: "-" as const, line })), ...b.map((line) => ({ kind: "+" as const, line }))];
  const lcs = new Uint32Array((n + 1) * (m + 1)); // lcs[i][j]: LCS length of a[i..] and b[j..]
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * (m + 1) + j] = a[i] === b[j] ? lcs[(i + 1) * (m + 1) + j + 1] + 1 : Math.max(lcs[(i + 1) * (m + 1) + j], lcs[i * (m + 1) + j + 1]);
    }
  }
  const out: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) out.push({ kind: " ", line: a[i++] }), j++;
    // Removals first, as diff(1) prints them.
    else if (i < n && (j >= m || lcs[(i + 1) * (m + 1) + j] >= lcs[i * (m + 1) + j + 1])) out.push({ kind: "-", line: a[i++] });
    else out.push({ kind: "+", line: b[j++] });
  }
  return out;
}

/** `--- from` / `+++ to` and @@ hunks with `context` lines around each change; "" when equal. */
export function unifiedDiff(before: string, after: string, labels = { from: "before", to: "after" }, context = 3): string {
  if (before === after) return "";
  // An empty text has no lines (a new file is all additions), as in diff(1).
  const lines = (t: string) => (t === "" ? [] : t.split("\n"));
  const all = ops(lines(before), lines(after));
  const changed = all.map((o, k) => (o.kind !== " " ? k : -1)).filter((k) => k >= 0);
  const hunks: Array<[number, number]> = [];
  for (const k of changed) {
    const [s, e] = [Math.max(0, k - context), Math.min(all.length, k + context + 1)];
    const last = hunks[hunks.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else hunks.push([s, e]);
  }
  const out = [`--- ${labels.from}`, `+++ ${labels.to}`];
  for (const [s, e] of hunks) {
    // 1-based start lines of the hunk in each text.
    const aStart = all.slice(0, s).filter((o) => o.kind !== "+").length + 1;
    const bStart = all.slice(0, s).filter((o) => o.kind !== "-").length + 1;
    const body = all.slice(s, e);
    const aLen = body.filter((o) => o.kind !== "+").length;
    const bLen = body.filter((o) => o.kind !== "-").length;
    out.push(`@@ -${aLen ? aStart : aStart - 1},${aLen} +${bLen ? bStart : bStart - 1},${bLen} @@`);
    for (const o of body) out.push(`${o.kind}${o.line}`);
  }
  return out.join("\n");
}
