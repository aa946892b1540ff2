// qoder-test's reports: JUnit XML (CI test tabs), Markdown (PR comment, job summary) and JSON.
// Results are redacted before they get here (see redactResult); text from agents and case files
// is escaped for each format, so a transcript cannot add XML elements or Markdown rows.
import { codeBlock, htmlText, tableCell } from "../markdown";
import { redact, redactDeep } from "../../sdk/redact";
import type { CaseResult } from "./run-case";
import { renderTranscript } from "./transcript";

export interface RunSummary {
  results: CaseResult[];
  durationMs: number;
}

const seconds = (ms: number) => (ms / 1000).toFixed(3);

export function counts(results: CaseResult[]): { tests: number; passed: number; failures: number; errors: number } {
  const n = (v: CaseResult["verdict"]) => results.filter((r) => r.verdict === v).length;
  return { tests: results.length, passed: n("passed"), failures: n("failed"), errors: n("error") };
}

/** Every string of a result with known secrets (the PAT, tokens from the environment) removed. */
export function redactResult(r: CaseResult): CaseResult {
  return redactDeep(r) as CaseResult;
}

/** Characters XML 1.0 cannot hold at all, then the five with meaning. */
export function xmlText(s: string): string {
  return s
    .replace(/[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu, "\ufffd")
    .replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c]!);
}

/** The failure text: what was unmet, then the transcript. */
export function failureText(r: CaseResult): string {
  const head = r.error ? [`error: ${r.error}`] : r.failures.map((f) => `- ${f}`);
  return [...head, ...r.notes.map((n) => `note: ${n}`), "", `session: ${r.sessionId ?? "(not started)"}`, "transcript:", renderTranscript(r.transcript) || "(no events)"].join("\n");
}

export function toJUnit(s: RunSummary): string {
  const c = counts(s.results);
  const attrs = `name="qoder-test" tests="${c.tests}" failures="${c.failures}" errors="${c.errors}" time="${seconds(s.durationMs)}"`;
  const cases = s.results.map((r) => {
    const open = `    <testcase classname="${xmlText(r.file)}" name="${xmlText(r.name)}" time="${seconds(r.durationMs)}">`;
    const props = `      <properties><property name="agent" value="${xmlText(`${r.agent.label}@${r.agent.version}`)}"/><property name="agent_id" value="${xmlText(r.agent.id)}"/>${r.sessionId ? `<property name="session_id" value="${xmlText(r.sessionId)}"/>` : ""}</properties>`;
    if (r.verdict === "passed") return `${open}\n${props}\n    </testcase>`;
    const tag = r.verdict === "error" ? "error" : "failure";
    const message = r.error ?? r.failures.join("; ");
    return `${open}\n${props}\n      <${tag} message="${xmlText(message)}" type="${r.verdict === "error" ? "error" : "expectation"}">${xmlText(failureText(r))}</${tag}>\n    </testcase>`;
  });
  return redact(`<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ${attrs}>\n  <testsuite ${attrs} skipped="0">\n${cases.join("\n")}\n  </testsuite>\n</testsuites>\n`);
}

const ICON = { passed: "✅", failed: "❌", error: "⚠️" } as const;

export function toMarkdown(s: RunSummary): string {
  const c = counts(s.results);
  const title = c.failures || c.errors ? `**${c.failures} failed, ${c.errors} errors, ${c.passed} passed** of ${c.tests}` : `**All ${c.tests} passed**`;
  const rows = s.results.map(
    (r) => `| ${ICON[r.verdict]} | ${tableCell(r.id)} | ${tableCell(`${r.agent.label}@${r.agent.version}`)} | ${r.verdict} | ${r.turns} | ${(r.durationMs / 1000).toFixed(1)} s |`,
  );
  const details = s.results
    .filter((r) => r.verdict !== "passed")
    .map((r) => {
      const what = r.error ? "error" : `${r.failures.length} unmet expectation${r.failures.length === 1 ? "" : "s"}`;
      return `<details><summary>${ICON[r.verdict]} ${htmlText(r.id)}: ${what}</summary>\n\n${codeBlock(failureText(r), "text")}\n\n</details>`;
    });
  const out = [`### qoder-test: ${title} (${(s.durationMs / 1000).toFixed(1)} s)`, "", "| | Case | Agent | Verdict | Turns | Time |", "|---|---|---|---|---|---|", ...rows, "", ...details].join("\n");
  return redact(out.trimEnd() + "\n");
}

export function toJson(s: RunSummary): string {
  return redact(JSON.stringify({ ...counts(s.results), durationMs: s.durationMs, results: s.results }, null, 2) + "\n");
}
