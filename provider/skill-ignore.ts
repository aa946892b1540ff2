// Which files of a skill directory are left out of its zip: defaults (VCS data, OS litter and
// common secret files), then every `.gitignore` and `.qoderignore` inside the directory, with
// gitignore semantics. The repository's own ignore rules (`git check-ignore`) are deliberately
// not consulted: they depend on the machine (global excludes, whether the checkout is a git
// work tree), and the zip must hash the same everywhere.

/** Ignore files read in each directory, in order (later rules win, so .qoderignore has the last word). */
export const IGNORE_FILES = [".gitignore", ".qoderignore"];

/**
 * Left out unless a `.qoderignore` re-includes them (`!.env.example`). Secrets first: a skill
 * is uploaded to the service, and anyone with access to the skill can download its files.
 */
export const DEFAULT_IGNORES = [
  ".git/",
  "node_modules/",
  ".DS_Store",
  "Thumbs.db",
  ".qoderignore",
  ".env",
  ".env.*",
  ".npmrc",
  ".yarnrc",
  ".yarnrc.yml",
  ".pypirc",
  ".netrc",
  ".git-credentials",
  ".aws/",
  ".ssh/",
  ".docker/",
  "*.pem",
  "*.key",
  "*.p12",
  "*.pfx",
  "id_rsa*",
  "id_dsa*",
  "id_ecdsa*",
  "id_ed25519*",
];

export interface IgnoreRule {
  /** Directory (relative POSIX path, "" = skill root) the rule was read in; it applies below it. */
  base: string;
  pattern: string;
  negate: boolean;
  dirOnly: boolean;
  regex: RegExp;
}

/** Parses gitignore text: blank lines and `#` comments skipped, `!` negates, trailing `/` = directories. */
export function parseIgnore(text: string, base = ""): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  for (const raw of text.split(/\r?\n/)) {
    let line = raw.replace(/(?<!\\)\s+$/, "");
    if (!line || line.startsWith("#")) continue;
    const negate = line.startsWith("!");
    if (negate) line = line.slice(1);
    else if (line.startsWith("\\!") || line.startsWith("\\#")) line = line.slice(1);
    const dirOnly = line.endsWith("/");
    if (dirOnly) line = line.replace(/\/+$/, "");
    if (!line) continue;
    // A slash anywhere but at the end anchors the pattern to its file's directory.
    const anchored = line.includes("/");
    const body = globToRegex(line.replace(/^\//, ""));
    rules.push({ base, pattern: raw.trim(), negate, dirOnly, regex: new RegExp(anchored ? `^${body}$` : `^(?:.*/)?${body}$`) });
  }
  return rules;
}

/** The last matching rule decides; a path outside a rule's base is not affected by it. */
export function isIgnored(rules: IgnoreRule[], relPath: string, isDir: boolean): boolean {
  let ignored = false;
  for (const r of rules) {
    if (r.dirOnly && !isDir) continue;
    if (r.base && !relPath.startsWith(`${r.base}/`)) continue;
    const rel = r.base ? relPath.slice(r.base.length + 1) : relPath;
    if (r.regex.test(rel)) ignored = !r.negate;
  }
  return ignored;
}

export const defaultRules = (): IgnoreRule[] => parseIgnore(DEFAULT_IGNORES.join("\n"));

function escapeRegex(c: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(c) ? `\\${c}` : c;
}

/** `*` and `?` stop at `/`; `**` spans directories (as `**\/`, `/**\/` and a trailing `/**`); `[...]` classes. */
function globToRegex(glob: string): string {
  let re = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === "*") {
      if (glob[i + 1] === "*" && (i === 0 || glob[i - 1] === "/") && (i + 2 === glob.length || glob[i + 2] === "/")) {
        if (i + 2 === glob.length) {
          re += ".*";
          i += 1;
        } else {
          re += "(?:.*/)?";
          i += 2;
        }
        continue;
      }
      while (glob[i + 1] === "*") i++;
      re += "[^/]*";
    } else if (c === "?") {
      re += "[^/]";
    } else if (c === "[") {
      const end = glob.indexOf("]", i + 2);
      if (end < 0) {
        re += "\\[";
        continue;
      }
      let cls = glob.slice(i + 1, end);
      if (cls.startsWith("!")) cls = `^${cls.slice(1)}`;
      re += `[${cls.replace(/\\/g, "\\\\")}]`;
      i = end;
    } else if (c === "\\" && i + 1 < glob.length) {
      re += escapeRegex(glob[++i]);
    } else {
      re += escapeRegex(c);
    }
  }
  return re;
}
