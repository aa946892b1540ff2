#!/usr/bin/env node
// qoder-export: an existing Qoder account as a Fleet directory, with the ids the first
// `pulumi up` adopts. Reads only (GETs); writes the directory whole or not at all.
import "../sdk/node-guard-cli"; // first: refuses Node < 22 before undici loads
import * as path from "node:path";
import { APIConnectionError, AuthenticationError, PermissionDeniedError, QoderClient, requireToken, resolveSettings, type SettingNames } from "../sdk";
import { readAccount } from "./export/account";
import { planExport } from "./export/export";
import { IDS_FILE, isExportKind, KINDS, type ExportKind } from "./export/layout";
import { reportText, summary } from "./export/report";
import { compareDir, writeDir } from "./export/write-dir";
import { readFlags, UsageError } from "./flags";

const USAGE = `usage: qoder-export --dir DIR [--kinds ${KINDS.join(",")}] [--name PATTERN] [--include-archived] [--dry-run] [--force]
  Writes the account's objects as a Fleet directory (docs/ADOPTING.md). Reads QODER_PAT, and
  QODER_BASE_URL or QODER_REGION (cn, global), like the provider.
  --kinds             only these Fleet folders (comma-separated; default: all)
  --name PATTERN      only objects whose name matches (* and ? wildcards, any case)
  --include-archived  archived objects too, as files without an id (\`up\` creates new ones)
  --dry-run           print what would be written; write nothing
  --force             replace DIR even when it holds other content`;

/** How the provider's settings are named here, for the sdk's one set of messages. */
const SETTING_NAMES: SettingNames = { baseUrl: "QODER_BASE_URL", region: "QODER_REGION", token: "set QODER_PAT to a personal access token" };


interface Options {
  dir: string;
  kinds: Set<ExportKind>;
  name?: RegExp;
  includeArchived: boolean;
  dryRun: boolean;
  force: boolean;
}

function glob(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${body}$`, "iu");
}

function parseFlags(argv: string[]): Options {
  const o: Partial<Options> = { kinds: new Set(KINDS), includeArchived: false, dryRun: false, force: false };
  for (const item of readFlags(argv)) {
    if (item.flag === undefined) throw new UsageError(`unexpected argument ${item.positional}`);
    const { flag, value } = item;
    switch (flag) {
      case "--dir": o.dir = value(); break;
      case "--kinds": {
        const kinds = value().split(",").map((k) => k.trim()).filter(Boolean);
        const bad = kinds.filter((k) => !isExportKind(k));
        if (bad.length || !kinds.length) throw new UsageError(`--kinds: unknown ${bad.join(", ") || "(none given)"}; choose from ${KINDS.join(", ")}`);
        o.kinds = new Set(kinds as ExportKind[]);
        break;
      }
      case "--name": o.name = glob(value()); break;
      case "--include-archived": o.includeArchived = true; break;
      case "--dry-run": o.dryRun = true; break;
      case "--force": o.force = true; break;
      case "--help": case "-h": process.stdout.write(USAGE + "\n"); process.exit(0);
      default: throw new UsageError(`unknown flag ${flag}`);
    }
  }
  if (!o.dir) throw new UsageError("--dir is required");
  return o as Options;
}

async function main(): Promise<void> {
  const o = parseFlags(process.argv.slice(2));
  const settings = resolveSettings({}, SETTING_NAMES);
  const client = new QoderClient({ token: requireToken(settings, SETTING_NAMES), baseUrl: settings.baseUrl, maxRetries: 2 });
  const selection = { kinds: o.kinds, keep: (name: string) => !o.name || o.name.test(name), includeArchived: o.includeArchived };
  let plan;
  try {
    plan = planExport(await readAccount(client, selection), selection);
  } catch (e) {
    throw apiError(e, settings.baseUrl);
  }
  const n = plan.files.size;
  const out = (s: string) => process.stdout.write(s + "\n");
  if (o.dryRun) {
    const now = compareDir(path.resolve(o.dir), plan.files);
    const status = (f: string) => (now.state === "absent" ? "new" : now.state === "same" ? "same" : now.added.includes(f) ? "new" : now.changed.includes(f) ? "changed" : "same");
    out(`qoder-export: dry run: would write ${o.dir} (${n} files): ${summary(plan)}`);
    for (const f of [...plan.files.keys()].sort()) out(`  ${status(f).padEnd(7)} ${f}`);
    if (now.state === "differs") for (const f of now.removed) out(`  removed ${f}`);
    if (now.state === "differs" && !o.force) out(`${o.dir} holds other content: a real run needs --force`);
  } else {
    const result = writeDir(o.dir, plan.files, { force: o.force });
    out(result === "unchanged" ? `qoder-export: ${o.dir} is up to date (${n} files): ${summary(plan)}` : `qoder-export: ${result === "created" ? "wrote" : "replaced"} ${o.dir} (${n} files): ${summary(plan)}`);
  }
  if (plan.ids.size) out(`${plan.ids.size} ids in ${path.join(o.dir, IDS_FILE)}: the first \`pulumi up\` adopts these objects instead of creating new ones`);
  const report = reportText(plan);
  if (report) out(report);
}

/** The API's answer in one line naming what to fix; the sdk's messages already carry the status. */
function apiError(e: unknown, baseUrl: string): unknown {
  if (e instanceof AuthenticationError) return new Error(`${baseUrl} refused the token (${e.message}): check QODER_PAT`);
  if (e instanceof PermissionDeniedError) return new Error(`${baseUrl}: the token may not read this account (${e.message})`);
  if (e instanceof APIConnectionError) return new Error(`cannot reach ${baseUrl}: ${e.message} (check QODER_BASE_URL / QODER_REGION and the network)`);
  return e;
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    // Our errors and the sdk's name the file, field or URL: the message alone, never a stack.
    process.stderr.write(`qoder-export: ${e instanceof Error ? e.message : String(e)}${e instanceof UsageError ? `\n${USAGE}` : ""}\n`);
    process.exit(1);
  },
);
