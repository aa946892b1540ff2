#!/usr/bin/env node
// qoder-plan: what would `pulumi up` change, field by field, for a PR comment.
import "../sdk/node-guard-cli"; // first: refuses Node < 22 before undici loads
import * as fs from "node:fs";
import { runCli } from "./cli";
import { planFromPreviewJson, planReport } from "./plan";

const USAGE = `usage: qoder-plan --stack NAME [--cwd PROJECT_DIR] [--json FILE] [--markdown FILE] [--refresh] [--detailed-exitcode]
       qoder-plan --preview-json FILE|- [--json FILE] [--markdown FILE] [--detailed-exitcode]
  Preview of the program (writes nothing), or the report of a \`pulumi preview --json\` output
  already run (FILE, or - for stdin). Exit 0, or 2 with --detailed-exitcode when something
  changes; 1: error.`;

void runCli(
  "qoder-plan",
  USAGE,
  async (o) => {
    if (!o.previewJson) return planReport({ cwd: o.cwd, stack: o.stack, refresh: o.refresh });
    const source = o.previewJson === "-" ? "stdin" : o.previewJson;
    return planFromPreviewJson(fs.readFileSync(o.previewJson === "-" ? 0 : o.previewJson, "utf8"), source, o.cwd);
  },
  (r, o) => (r.changes && o.detailedExitcode ? 2 : 0),
);
