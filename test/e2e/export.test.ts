// Onboarding an existing account: objects of every kind made through the API (unicode and
// duplicate names, MCP servers and toolsets, a skill with nested files, memories in folders, an
// archived agent) are exported with qoder-export, and `pulumi up` over the exported directory
// adopts every one of them without a single write. A re-export is byte-identical, and an
// edited file previews as exactly that change. Bad input fails clearly and writes nothing.
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { createZip } from "../../emulator/zip";
import { QoderClient } from "../../sdk";
import { EmulatorProcess, writesOf } from "../../testkit/emulator-process";
import { REPO_ROOT } from "../../testkit/paths";
import { writeProject } from "../../testkit/project-dir";
import { IDS_FILE } from "../../tools/export/layout";
import { parsePreviewJson } from "../../tools/preview-json";
import { CliProject } from "./programs/pulumi-cli";

const EXPORT_CLI = path.join(REPO_ROOT, "dist", "tools", "export-cli.js");
const INDEX_JS = `const qoder = require("pulumi-qoder");
const f = new qoder.Fleet("f", { dir: "./qoder" });
module.exports = { agents: f.agents, environments: f.environments, skills: f.skills, vaults: f.vaults, memoryStores: f.memoryStores, memories: f.memories };
`;
/** Tokens the seed used, by MCP server URL: the operator knows them, the API never returns them. */
const TOKENS: Record<string, string> = { "https://api.githubcopilot.com/mcp/": "ghp_seeded_github", "https://mcp.linear.app/sse": "lin_seeded_linear" };

let emu: EmulatorProcess;
let api: QoderClient;
let project: string;
let cli: CliProject;
const fleetDir = () => path.join(project, "qoder");
const seeded: Record<string, string> = {};

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function exportCli(args: string[], env: Record<string, string | undefined> = {}): Promise<Run> {
  const base = { ...process.env, QODER_PAT: emu.token, QODER_BASE_URL: emu.baseUrl, QODER_REGION: undefined, ...env };
  return new Promise((resolve) =>
    execFile(process.execPath, [EXPORT_CLI, ...args], { env: base as NodeJS.ProcessEnv, timeout: 120_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? Number((err as { code?: unknown }).code ?? 1) : 0, stdout, stderr }),
    ),
  );
}

/** Every file below dir with its bytes, for byte-for-byte comparisons. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r);
      else out[r] = fs.readFileSync(path.join(dir, r)).toString("base64");
    }
  };
  walk("");
  return out;
}

async function pulumi(args: string[], stdin?: string): Promise<Run> {
  const r = await cli.pulumi(args, stdin);
  if (r.code !== 0) throw new Error(`pulumi ${args.join(" ")} exited ${r.code}:\n${r.stderr}\n${r.stdout.slice(-4000)}`);
  return r;
}

async function seed(): Promise<void> {
  const skillZip = createZip({
    "repo-conventions/SKILL.md": "---\nname: repo-conventions\ndescription: How this team writes code\n---\nFollow the house style.\n",
    "repo-conventions/templates/pr.md": "## Summary\n\n## Testing\n",
    "repo-conventions/scripts/lint/run.sh": "#!/bin/sh\nnpm run lint\n",
  });
  seeded.skill = (await api.skills.create({ file: skillZip, filename: "repo-conventions.zip" })).id;
  seeded.env = (
    await api.environments.create({
      name: "ci",
      description: "CI sandbox",
      config: { type: "cloud", networking: { type: "allowed_hosts", allowed_hosts: ["api.github.com"] }, packages: { apt: ["git"], npm: ["pnpm"] }, setup_script: "set -e\nnpm ci\n" },
      metadata: { team: "platform" },
    })
  ).id;
  seeded.reviewer = (
    await api.agents.create({
      name: "reviewer",
      model: { id: "ultimate", effort: "high" },
      description: "Reviews pull requests",
      system: "You are a careful code reviewer.\n\nBe specific.",
      tools: [
        { type: "agent_toolset_20260401", enabled_tools: ["Read", "Grep", "Bash"] },
        { type: "mcp_toolset", mcp_server_name: "github" },
        { type: "mcp_toolset", mcp_server_name: "linear" },
      ],
      mcp_servers: [
        { type: "url", name: "github", url: "https://api.githubcopilot.com/mcp/" },
        { type: "url", name: "linear", url: "https://mcp.linear.app/sse" },
      ],
      skills: [{ type: "custom", skill_id: seeded.skill }],
      metadata: { team: "platform", tier: "1" },
    })
  ).id;
  seeded.reviewer2 = (await api.agents.create({ name: "reviewer", model: "auto", system: "A second agent with the same name." })).id;
  seeded.Reviewer = (await api.agents.create({ name: "Reviewer", model: "auto", system: "A name that differs only in case." })).id;
  seeded.unicode = (await api.agents.create({ name: "审查员 Prüfer", model: "auto", system: "多语言的提示。" })).id;
  seeded.archived = (await api.agents.create({ name: "legacy", model: "auto", system: "Retired." })).id;
  await api.agents.archive(seeded.archived);
  seeded.vault = (
    await api.vaults.create({
      display_name: "tools",
      credentials: Object.entries(TOKENS).map(([url, token]) => ({ mcp_server_url: url, protocol: url.endsWith("/sse") ? "sse" : "streamable_http", type: "static_bearer", access_token: token })),
    })
  ).id;
  const store = await api.memoryStores.create({ name: "team-notes", description: "What the team has learned" });
  seeded.store = store.id;
  await api.memoryStores.memories.create(store.id, { path: "conventions.md", content: "Tabs, not spaces.\n" });
  await api.memoryStores.memories.create(store.id, { path: "runbooks/deploy/prod.md", content: "Deploy on Tuesdays.\n\n" });
  await api.memoryStores.memories.create(store.id, { path: "people/ünïcode.md", content: "名前\n" });
}

beforeAll(async () => {
  emu = await EmulatorProcess.start();
  api = new QoderClient({ token: emu.token, baseUrl: emu.baseUrl, maxRetries: 0 });
  await seed();
  project = writeProject(fs.mkdtempSync(path.join(os.tmpdir(), "qoder-e2e-export-")), "qoder-export-e2e", INDEX_JS);
  cli = new CliProject(project, emu);
});
afterAll(async () => {
  cli?.cleanup();
  if (project) fs.rmSync(project, { recursive: true, force: true });
  await emu?.stop();
});

test("export, then `pulumi up` adopts every object with zero writes; re-export is identical; an edit previews as itself", async () => {
  await emu.resetStats();
  const exported = await exportCli(["--dir", fleetDir()]);
  expect(exported).toMatchObject({ code: 0, stderr: "" });
  expect(writesOf(await emu.stats())).toEqual([]); // the export only reads
  expect(exported.stdout).toMatch(/agents: one name: "reviewer".*"Reviewer"/);
  expect(exported.stdout).toMatch(/agent "legacy" \(agent_\w+\): archived/);
  const ids = parse(fs.readFileSync(path.join(fleetDir(), IDS_FILE), "utf8")) as Record<string, string>;
  expect(Object.values(ids).sort()).toEqual(
    expect.arrayContaining([seeded.skill, seeded.env, seeded.reviewer, seeded.reviewer2, seeded.Reviewer, seeded.unicode, seeded.vault, seeded.store]),
  );
  expect(Object.values(ids)).not.toContain(seeded.archived);
  expect(fs.readFileSync(path.join(fleetDir(), "skills/repo-conventions/scripts/lint/run.sh"), "utf8")).toBe("#!/bin/sh\nnpm run lint\n");
  expect(fs.readFileSync(path.join(fleetDir(), "memory-stores/team-notes/memories/runbooks/deploy/prod.md"), "utf8")).toBe("Deploy on Tuesdays.\n\n");

  await pulumi(["stack", "init", "e2e"]);
  // The printed lines, as the guide says to run them; the value comes on stdin.
  const secretKeys = [...exported.stdout.matchAll(/^\s*pulumi config set --secret (\S+)\s+# \S+: the token for (\S+)$/gm)];
  expect(secretKeys.map((m) => m[2]).sort()).toEqual(Object.keys(TOKENS).sort());
  for (const [, key, url] of secretKeys) await pulumi(["config", "set", "--secret", key], TOKENS[url]);

  await emu.resetStats();
  await pulumi(["up", "--yes", "--skip-preview"]);
  expect(writesOf(await emu.stats())).toEqual([]);

  const outputs = JSON.parse((await pulumi(["stack", "output", "--json"])).stdout);
  const adopted: Record<string, string> = {};
  for (const file of Object.keys(ids)) adopted[file] = outputIdFor(outputs, file);
  expect(adopted).toEqual(ids);

  await emu.resetStats();
  await pulumi(["preview", "--expect-no-changes"]);
  await pulumi(["preview", "--refresh", "--expect-no-changes"]); // a skill's other zip digest is not drift
  expect(writesOf(await emu.stats())).toEqual([]);

  const before = snapshot(fleetDir());
  const again = await exportCli(["--dir", fleetDir()]);
  expect(again.code).toBe(0);
  expect(again.stdout).toMatch(/is up to date/);
  expect(snapshot(fleetDir())).toEqual(before);

  const reviewer = path.join(fleetDir(), "agents/reviewer.md");
  fs.writeFileSync(reviewer, fs.readFileSync(reviewer, "utf8").replace("Be specific.", "Be specific and kind."));
  const plan = parsePreviewJson((await pulumi(["preview", "--json"])).stdout, "pulumi preview --json");
  const changes = plan.steps.filter((s) => s.op !== "same").map((s) => `${s.op} ${s.urn.split("::").pop()} [${s.diffs.join(",")}]`);
  expect(changes).toEqual(["update f-agent-reviewer [system]"]);

  // The adopted token was trusted, not rotated; changing it now is a rotation.
  await pulumi(["config", "set", "--secret", secretKeys[0][1]], "ghp_rotated");
  const rotation = parsePreviewJson((await pulumi(["preview", "--json"])).stdout, "pulumi preview --json");
  const rotated = rotation.steps.filter((s) => s.op !== "same").map((s) => `${s.op} ${s.urn.split("::").pop()} [${s.diffs.join(",")}]`);
  expect(rotated.sort()).toEqual(["update f-agent-reviewer [system]", "update f-vault-tools [credentialRevisions,credentials]"]);
});

/** The Fleet output holding the id of the object exported to `file` (a Fleet-relative path). */
function outputIdFor(outputs: Record<string, Record<string, { id: string }>>, file: string): string {
  const [folder, ...rest] = file.split("/");
  const key = rest.join("/").replace(/\.(md|yaml)$/, "");
  if (folder === "memory-stores" && rest.length > 1) return outputs.memories[`${rest[0]}/${rest.slice(2).join("/")}`]?.id;
  const output = { agents: "agents", environments: "environments", skills: "skills", vaults: "vaults", "memory-stores": "memoryStores" }[folder]!;
  return outputs[output][key]?.id;
}

describe("bad input: a clear error, nothing written", () => {
  const target = () => path.join(project, "elsewhere");

  test("an unreachable API", async () => {
    const r = await exportCli(["--dir", target()], { QODER_BASE_URL: "http://127.0.0.1:9/api/v1/cloud" });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^qoder-export: cannot reach http:\/\/127\.0\.0\.1:9\/api\/v1\/cloud: .*QODER_BASE_URL/);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(fs.existsSync(target())).toBe(false);
  });

  test("a wrong token", async () => {
    const r = await exportCli(["--dir", target()], { QODER_PAT: "pt-wrong" });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/refused the token .*check QODER_PAT/);
    expect(r.stderr).not.toMatch(/pt-wrong/);
    expect(fs.existsSync(target())).toBe(false);
  });

  test("no token at all", async () => {
    const r = await exportCli(["--dir", target()], { QODER_PAT: "" });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/QODER_PAT/);
    expect(fs.existsSync(target())).toBe(false);
  });

  test("a directory that holds other content", async () => {
    fs.mkdirSync(target(), { recursive: true });
    fs.writeFileSync(path.join(target(), "notes.txt"), "mine");
    const r = await exportCli(["--dir", target()]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/already holds other content .*nothing was written.*--force/);
    expect(snapshot(target())).toEqual({ "notes.txt": Buffer.from("mine").toString("base64") });
    expect(fs.readdirSync(project).filter((f) => f.includes(".export-"))).toEqual([]); // no temporary folder left
  });
});
