// Quickstart: one of each Qoder resource. Before `pulumi up`:
//   pulumi config set --secret qoder:token <personal access token>
//   pulumi config set --secret githubMcpToken <token for the GitHub MCP server>
import * as pulumi from "@pulumi/pulumi";
import * as qoder from "pulumi-qoder";

const config = new pulumi.Config();

// Where sessions run: a cloud sandbox that may reach package managers only.
const sandbox = new qoder.Environment("sandbox", {
  name: "quickstart-sandbox",
  config: { networking: { type: "limited", allowPackageManagers: true }, packages: { npm: ["typescript"] } },
});

// A skill is a directory with SKILL.md; a content change uploads a new version.
const releaseNotes = new qoder.Skill("release-notes", { source: "./skills/release-notes" });

// Credentials for MCP servers. The token is a secret config value: encrypted in state, never
// returned by the API.
const github = new qoder.Vault("github", {
  displayName: "GitHub MCP",
  credentials: [{ mcpServerUrl: "https://api.githubcopilot.com/mcp/", token: config.requireSecret("githubMcpToken") }],
});

// Long-term memory, seeded with one entry.
const notes = new qoder.MemoryStore("notes", { name: "quickstart-notes", description: "Release decisions worth remembering" });
new qoder.Memory("style", { storeId: notes.memoryStoreId, path: "style.md", content: "Release notes use past tense and link each PR.\n" });

const writer = new qoder.Agent("release-writer", {
  name: "release-writer",
  model: "performance",
  system: "You write release notes from merged pull requests. Use the release-notes skill.",
  tools: [
    { type: "agent_toolset_20260401", enabledTools: ["Read", "Grep"] },
    { type: "mcp_toolset", mcpServerName: "github" },
  ],
  mcpServers: [{ name: "github", url: "https://api.githubcopilot.com/mcp/" }],
  skills: [releaseNotes.skillId],
  deletionPolicy: "delete",
});

// A session binds the agent to an environment, vaults and memory stores when it starts.
export const agentId = writer.agentId;
export const agentVersion = writer.version;
export const environmentId = sandbox.environmentId;
export const vaultId = github.vaultId;
export const memoryStoreId = notes.memoryStoreId;
