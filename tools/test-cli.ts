#!/usr/bin/env node
// qoder-test: runs test conversations against the agent versions a stack deployed, before the
// stack's changes are promoted. Exit 0 all passed, 2 a case failed, 1 an error.
import "../sdk/node-guard-cli"; // first: refuses Node < 22 before undici loads
import * as fs from "node:fs";
import * as path from "node:path";
import { QoderClient } from "../sdk";
import { redact, rememberSecret } from "../sdk/redact";
import { UsageError } from "./cli";
import { CaseConfigError, loadCases } from "./agent-tests/cases";
import { parseTestFlags, USAGE, type TestCliOptions } from "./agent-tests/flags";
import { planCases } from "./agent-tests/plan";
import { mapPool } from "./agent-tests/pool";
import { Progress } from "./agent-tests/progress";
import { counts, redactResult, toJson, toJUnit, toMarkdown, type RunSummary } from "./agent-tests/reports";
import { runCase } from "./agent-tests/run-case";
import { readStackOutputs } from "./agent-tests/stack-outputs";

/** Environment variables whose values are credentials: never printed, whatever echoes them. */
const SECRET_ENV = /(^|_)(PAT|TOKEN|SECRET|PASSWORD|PASSPHRASE|API_KEY)(_|$)/i;

function rememberEnvironmentSecrets(): void {
  for (const [name, value] of Object.entries(process.env)) if (SECRET_ENV.test(name)) rememberSecret(value);
}

async function main(o: TestCliOptions, progress: Progress): Promise<number> {
  const started = Date.now();
  // Report paths are relative to where the command was started, not to --cwd.
  const files = { junit: o.junit && path.resolve(o.junit), markdown: o.markdown && path.resolve(o.markdown), json: o.json && path.resolve(o.json) };
  let cases = loadCases(o.paths.length ? o.paths : [path.join(o.cwd, "qoder", "tests")]);
  if (o.filter) cases = cases.filter((c) => c.id.includes(o.filter!));
  if (!cases.length) throw new UsageError(`--filter ${o.filter}: no case id contains it`);
  if (o.timeoutMs) for (const c of cases) c.limits.wallTimeMs = Math.min(c.limits.wallTimeMs, o.timeoutMs);

  const client = new QoderClient();
  const outputs = o.stack ? await readStackOutputs(o.cwd, o.stack) : undefined;
  const planned = await planCases(cases, { client, outputs, agentIds: o.agentIds, agentOverride: o.agentOverride, defaultEnvironment: o.environment });
  progress.line(`qoder-test: ${planned.length} case${planned.length === 1 ? "" : "s"}${o.stack ? ` on stack ${o.stack}` : ""}, ${Math.min(o.parallel, planned.length)} at a time`);

  const interrupt = new AbortController();
  const onSigint = () => interrupt.abort();
  process.once("SIGINT", onSigint);
  const results = await mapPool(planned, o.parallel, async (p) => {
    const r = redactResult(
      await runCase(p, {
        client: (onEvent) => new QoderClient({ onEvent }),
        cleanup: o.cleanup,
        progress: (id, turn, text, e) => progress.event(id, turn, text, e),
        signal: interrupt.signal,
      }),
    );
    progress.verdict(r);
    return r;
  });
  process.off("SIGINT", onSigint);

  const summary: RunSummary = { results, durationMs: Date.now() - started };
  if (files.junit) fs.writeFileSync(files.junit, toJUnit(summary));
  if (files.markdown) fs.writeFileSync(files.markdown, toMarkdown(summary));
  if (files.json) fs.writeFileSync(files.json, toJson(summary));
  const c = counts(results);
  const written = Object.entries(files).filter(([, f]) => f).map(([k]) => `${k}: ${o[k as "junit"]}`);
  progress.line(`qoder-test: ${c.passed} passed, ${c.failures} failed, ${c.errors} errors (${(summary.durationMs / 1000).toFixed(1)} s)${written.length ? `; ${written.join(", ")}` : ""}`);
  return c.errors ? 1 : c.failures ? 2 : 0;
}

function fail(e: unknown): number {
  const text = e instanceof UsageError ? `${e.message}\n${USAGE}` : e instanceof CaseConfigError ? e.message : e instanceof Error ? e.message : String(e);
  process.stderr.write(`qoder-test: ${redact(text)}\n`);
  return 1;
}

rememberEnvironmentSecrets();
let options: TestCliOptions | undefined;
try {
  options = parseTestFlags(process.argv.slice(2));
} catch (e) {
  process.exit(fail(e));
}
const progress = new Progress(options.output);
main(options, progress).then(
  (code) => process.exit(code),
  (e: unknown) => process.exit(fail(e)),
);
