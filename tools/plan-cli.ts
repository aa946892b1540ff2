#!/usr/bin/env node
// qoder-plan: what would `pulumi up` change, field by field, for a PR comment.
import { runCli } from "./cli";
import { planReport } from "./plan";

const USAGE = `usage: qoder-plan --stack NAME [--cwd PROJECT_DIR] [--json FILE] [--markdown FILE] [--refresh] [--detailed-exitcode]
  Preview of the program (writes nothing). Exit 0, or 2 with --detailed-exitcode when something changes; 1: error.`;

void runCli("qoder-plan", USAGE, (o) => planReport({ cwd: o.cwd, stack: o.stack, refresh: o.refresh }), (r, o) => (r.changes && o.detailedExitcode ? 2 : 0));
