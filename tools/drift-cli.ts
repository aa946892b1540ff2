#!/usr/bin/env node
// qoder-drift: does the live Qoder account still match a stack? Exit 0 no drift, 2 drift, 1 error.
import "../sdk/node-guard-cli"; // first: refuses Node < 22 before undici loads
import { runCli, UsageError } from "./cli";
import { driftReport } from "./drift";

const USAGE = `usage: qoder-drift --stack NAME [--cwd PROJECT_DIR] [--json FILE] [--markdown FILE]
  Preview-only refresh of the stack (writes nothing). Exit 0: no drift, 2: drift, 1: error.`;

void runCli(
  "qoder-drift",
  USAGE,
  async (o) => {
    if (o.previewJson) throw new UsageError("--preview-json is a qoder-plan flag");
    return driftReport({ cwd: o.cwd, stack: o.stack });
  },
  (r) => (r.changes ? 2 : 0),
);
