// Reading a Fleet directory: the sample's spec, and every kind of problem named by file and
// field (no Pulumi engine needed: loadFleet is pure).
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { RunError } from "@pulumi/pulumi";
import { FleetConfigError, loadFleet } from "../../provider/fleet";
import { REPO_ROOT } from "../../testkit/paths";

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
    return (e as FleetConfigError).problems.map((p) => p.split(dir + "/").join(""));
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
  expect(spec.environments.ci.args.config?.networking).toEqual({ type: "limited", allowPackageManagers: true });
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
      "agent: unknown entry; a fleet holds agents/, environments/, skills/, vaults/, memory-stores/, files/",
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

test("names that differ only in case are refused, naming both files", () => {
  write("agents/Reviewer.md", fs.readFileSync(path.join(dir, "agents/reviewer.md"), "utf8").replace("---\n", "---\nname: reviewer-upper\n"));
  write("skills/Repo-Conventions/SKILL.md", "---\nname: repo-conventions-upper\n---\nx\n");
  write("memory-stores/team-notes/memories/Conventions.md", "x");
  write("environments/CI.yml", "name: ci-upper\n");
  const found = problems().sort();
  const clash = (a: string, b: string) => expect(found).toContainEqual(`${a}: clashes with ${b}: names that differ only in case (or extension) are one file on macOS and Windows; rename one`);
  expect(found).toHaveLength(4);
  // entries are read in locale order, which sorts "Reviewer.md" and "reviewer.md" next to each other
  const pair = (x: string, y: string) => (x.localeCompare(y) < 0 ? [y, x] : [x, y]);
  clash(...(pair("agents/reviewer.md", "agents/Reviewer.md") as [string, string]));
  clash(...(pair("skills/repo-conventions", "skills/Repo-Conventions") as [string, string]));
  clash(...(pair("environments/ci.yaml", "environments/CI.yml") as [string, string]));
  expect(found).toContainEqual("memory-stores/team-notes/memories/conventions.md: clashes with memory-stores/team-notes/memories/Conventions.md: names that differ only in case (or extension) are one file on macOS and Windows; rename one");
});

test("two objects of one kind with the same name are refused, naming both files", () => {
  write("agents/second.md", "---\nname: reviewer\nmodel: lite\n---\nhi\n");
  write("environments/ci2.yaml", "name: ci\nconfig:\n  type: cloud\n");
  write("skills/copy/SKILL.md", "---\nname: repo-conventions\n---\nx\n");
  write("vaults/other.yaml", "display_name: GitHub MCP\n");
  expect(problems().sort()).toEqual(
    [
      'agents/second.md: frontmatter.name: "reviewer" is also the frontmatter.name of agents/reviewer.md; names must be unique within a fleet',
      'environments/ci2.yaml: name: "ci" is also the name of environments/ci.yaml; names must be unique within a fleet',
      'skills/repo-conventions/SKILL.md: frontmatter.name: "repo-conventions" is also the frontmatter.name of skills/copy/SKILL.md; names must be unique within a fleet',
      'vaults/other.yaml: display_name: "GitHub MCP" is also the display_name of vaults/github.yaml; names must be unique within a fleet',
    ].sort(),
  );
});

test("a skill name the update would refuse and hostile seed file names are refused, naming the file and rule", () => {
  write("skills/release-notes/SKILL.md", "---\nname: Release Notes\n---\nx\n");
  write("memory-stores/team-notes/memories/a\nb.md", "x");
  write("memory-stores/team-notes/memories/back\\slash.md", "x");
  const found = problems().sort();
  expect(found).toEqual([
    '"memory-stores/team-notes/memories/a\\nb.md": path: holds a control character (NUL, newline, tab...); must be a relative path of /-separated names such as notes/team.md',
    'memory-stores/team-notes/memories/back\\slash.md: path: holds a backslash (use "/" between names); must be a relative path of /-separated names such as notes/team.md',
    'skills/release-notes/SKILL.md: frontmatter.name "Release Notes": a skill name must be lowercase letters, digits, - or _, starting with a letter or digit, at most 64 characters (Qoder refuses other names on update)',
  ]);
});

test("a YAML alias bomb, a broken YAML file and an oversize seed are refused with the file (and line), nothing huge is read", () => {
  const laughs = ["a: &a [x, x, x, x, x, x, x, x, x]"];
  for (let i = 1; i < 9; i++) laughs.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(", ")}]`);
  write("environments/bomb.yaml", laughs.join("\n") + "\n");
  write("vaults/broken.yaml", "display_name: x\ncredentials: [\n");
  write("agents/bomb.md", `---\nmodel: lite\n${laughs.join("\n")}\n---\nhi\n`);
  const big = path.join(dir, "memory-stores/team-notes/memories/big.md");
  write("memory-stores/team-notes/memories/big.md", "");
  fs.truncateSync(big, 600 * 1024 * 1024); // sparse: no disk or memory used
  const external = process.memoryUsage().arrayBuffers;
  const found = problems().sort();
  expect(process.memoryUsage().arrayBuffers - external).toBeLessThan(64 * 1024 * 1024);
  expect(found).toHaveLength(4);
  expect(found[0]).toMatch(/^agents\/bomb\.md: frontmatter: invalid YAML: aliases expand too far \(more than 100 allowed\)/);
  expect(found[1]).toMatch(/^environments\/bomb\.yaml: invalid YAML: aliases expand too far \(more than 100 allowed\)/);
  expect(found[2]).toBe("memory-stores/team-notes/memories/big.md: 600.0 MiB (629145600 bytes); a memory may be at most 102400 bytes");
  expect(found[3]).toMatch(/^vaults\/broken\.yaml: invalid YAML \(line 3, column 1\): /);
});

test("a misspelt key is reported once, with the key it resembles; its consequences are not", () => {
  const reviewer = fs.readFileSync(path.join(dir, "agents/reviewer.md"), "utf8");
  write("agents/reviewer.md", reviewer.replace(/^model:/m, "modle:"));
  // Not also `frontmatter.model: Invalid input: expected object, received undefined` (a string is allowed).
  expect(problems()).toEqual(["agents/reviewer.md: frontmatter.modle: unknown key (did you mean model?)"]);
  // A RunError: Pulumi prints the message alone, no stack trace and no inspected error object.
  expect(RunError.isInstance(new FleetConfigError(["x"]))).toBe(true);
});

test("an invalid environment file is the one problem: the agents that use it do not report it missing", () => {
  write("environments/ci.yaml", "description: x\nconfig: [\n");
  // The sample's reviewer and triager both name environment "ci".
  expect(problems()).toEqual([expect.stringMatching(/^environments\/ci\.yaml: invalid YAML \(line 3, column 1\): /)]);
});
