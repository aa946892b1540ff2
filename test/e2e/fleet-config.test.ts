// Reading a Fleet directory: the sample's spec, and every kind of problem named by file and
// field (no Pulumi engine needed: loadFleet is pure).
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { FleetConfigError, loadFleet } from "../../provider/fleet";
import { REPO_ROOT } from "./harness/paths";

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "qoder-fleet-config-"));
  fs.cpSync(path.join(REPO_ROOT, "qoder"), dir, { recursive: true });
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(file: string, text: string) {
  fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  fs.writeFileSync(path.join(dir, file), text);
}
function problems(): string[] {
  try {
    loadFleet(dir);
  } catch (e) {
    expect(e).toBeInstanceOf(FleetConfigError);
    return (e as FleetConfigError).problems.map((p) => p.replace(dir + "/", ""));
  }
  throw new Error("expected a FleetConfigError");
}

test("the sample: snake_case mapped to args, the body is the prompt, references by name", () => {
  const spec = loadFleet(dir);
  expect(Object.keys(spec.agents)).toEqual(["reviewer", "triager"]);
  const r = spec.agents.reviewer;
  expect(r.args).toMatchObject({
    name: "reviewer",
    model: { id: "ultimate", effort: "high" },
    tools: [{ type: "agent_toolset_20260401", enabledTools: ["Read", "Grep", "Glob", "Bash"] }, { type: "mcp_toolset", mcpServerName: "github" }],
    mcpServers: [{ name: "github", url: "https://api.githubcopilot.com/mcp/" }],
    metadata: { team: "platform" },
    deletionPolicy: "archive",
  });
  expect(r.args.system).toMatch(/^You are a careful code reviewer for this repository\.\n\nFor every pull request:/);
  expect(r.args.system).toMatch(/coverage\.$/);
  expect(r).toMatchObject({ skills: [{ name: "repo-conventions" }], environment: "ci", vaults: ["github"], memoryStores: ["team-notes"] });
  expect(spec.environments.ci.args.config.networking).toEqual({ type: "limited", allowPackageManagers: true });
  expect(spec.vaults.github).toMatchObject({ args: { displayName: "GitHub MCP", credentials: [{ mcpServerUrl: "https://api.githubcopilot.com/mcp/", protocol: "streamable_http" }] }, tokens: [{ secret: "githubMcpToken" }] });
  expect(spec.memoryStores["team-notes"].memories.map((m) => m.path)).toEqual(["conventions.md"]);
  expect(spec.skills["repo-conventions"].dir).toBe(path.join(dir, "skills", "repo-conventions"));
});

test("every problem at once, each with its file and field", () => {
  write("agents/reviewer.md", fs.readFileSync(path.join(dir, "agents/reviewer.md"), "utf8").replace("enabled_tools:", "enabled_toolz:").replace("environment: ci", "environment: cii"));
  write("agents/bad yaml.md", "---\nmodel: [\n---\nhi\n");
  write("agents/plain.md", "no frontmatter here\n");
  write("agents/prompted.md", "---\nmodel: lite\nsystem: hi\n---\nbody\n");
  write("agents/notes.txt", "?");
  write("environments/net.yaml", "config:\n  networking:\n    type: allowed_hosts\n    allowed_hosts: [https://x.example.com]\n");
  write("vaults/empty.yaml", "credentials:\n  - mcp_server_url: https://a.example.com/mcp\n    token: { secret: '' }\n");
  write("skills/no-manifest/README.md", "x");
  write("memory-stores/orphan/memories/a.md", "x");
  write("agent/typo.md", "x");
  expect(problems().sort()).toEqual(
    [
      "agent: unknown entry; a fleet holds agents/, environments/, skills/, vaults/, memory-stores/",
      "agents/bad yaml.md: file name must be letters, digits, '.', '_' or '-'",
      "agents/notes.txt: expected agents/<name>.md",
      "agents/plain.md: frontmatter: missing: start the file with a --- YAML block holding at least `model:`",
      "agents/prompted.md: frontmatter.system: not allowed: the Markdown body below the frontmatter is the system prompt",
      "agents/reviewer.md: frontmatter.environment: no environment \"cii\" (expected environments/cii.yaml)",
      "agents/reviewer.md: frontmatter.tools[0].enabled_toolz: unknown key",
      "environments/net.yaml: config.networking.allowed_hosts[0]: must be a bare hostname or IPv4 address such as api.example.com (no scheme, port or path)",
      "memory-stores/orphan: seed folder without memory-stores/orphan.yaml",
      "skills/no-manifest/SKILL.md: missing: a skill directory needs SKILL.md at its top level",
      "vaults/empty.yaml: credentials[0].token.secret: must be a Pulumi config key such as githubMcpToken",
    ].sort(),
  );
});

test("a literal token is refused without being echoed", () => {
  write("vaults/github.yaml", "credentials:\n  - mcp_server_url: https://api.githubcopilot.com/mcp/\n    token: ghp_supersecretvalue\n");
  const [p] = problems();
  expect(p).toMatch(/^vaults\/github\.yaml: credentials\[0\]\.token: literal secrets are refused/);
  expect(p).not.toContain("ghp_supersecretvalue");
});

test("camelCase keys are accepted too; an unknown top-level key is named", () => {
  write("agents/triager.md", "---\nmodel: lite\nmcpServers: []\ndeletionPolicy: delete\nmodle: x\n---\nhi\n");
  expect(problems()).toEqual(["agents/triager.md: frontmatter.modle: unknown key"]);
});
