// YAML from files users write (Fleet files, SKILL.md frontmatter): bounded alias expansion, and
// errors that say where (line and column) instead of a bare exception.
import type * as Yaml from "yaml";

// Loaded on first use: most provider processes never parse YAML, and it costs ~30 ms to load.
let yamlModule: typeof Yaml | undefined;
const yaml = () => (yamlModule ??= require("yaml") as typeof Yaml);

/** Aliases a document may expand; a "billion laughs" file needs thousands. */
export const MAX_YAML_ALIASES = 100;

export type YamlResult = { ok: true; value: unknown } | { ok: false; error: string };

/** `lineOffset`: lines before `text` in its file (frontmatter starts on line 2). */
export function parseYaml(text: string, lineOffset = 0): YamlResult {
  const { LineCounter, parseDocument } = yaml();
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false, lineCounter });
  const where = (offset: number | undefined) => {
    if (offset === undefined) return "";
    const { line, col } = lineCounter.linePos(offset);
    return ` (line ${line + lineOffset}, column ${col})`;
  };
  if (doc.errors.length) {
    const e = doc.errors[0];
    return { ok: false, error: `invalid YAML${where(e.pos?.[0])}: ${e.message.split("\n")[0]}` };
  }
  try {
    return { ok: true, value: doc.toJS({ maxAliasCount: MAX_YAML_ALIASES }) };
  } catch (e) {
    // The yaml package throws a ReferenceError when aliases expand past maxAliasCount.
    return { ok: false, error: `invalid YAML: aliases expand too far (more than ${MAX_YAML_ALIASES} allowed): ${(e as Error).message}` };
  }
}

/** Splits `---\n<yaml>\n---\n<body>`; a file without frontmatter is all body. */
export function splitFrontmatter(text: string): { frontmatter: string | undefined; body: string } {
  const m = /^---[ \t]*\r?\n([\s\S]*?)\r?\n?---[ \t]*(?:\r?\n|$)([\s\S]*)$/.exec(text);
  return m ? { frontmatter: m[1], body: m[2] } : { frontmatter: undefined, body: text };
}
