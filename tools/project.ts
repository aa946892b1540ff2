// A Pulumi project directory as the tools see it: name, backend, and the JavaScript module to
// require as the inline program (a TypeScript `main` maps to its tsc output).
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";

export interface ProjectInfo {
  dir: string;
  name: string;
  /** Absolute path of the compiled program module. */
  main: string;
  /** Absolute file:// URL when Pulumi.yaml names a relative file backend. */
  backendUrl?: string;
  /** Where Pulumi.<stack>.yaml files live (absolute). */
  stackConfigDir: string;
  /** Pulumi.yaml as written. */
  settings: Record<string, any>;
}

export function readProject(dir: string): ProjectInfo {
  const root = path.resolve(dir);
  const file = ["Pulumi.yaml", "Pulumi.yml"].map((f) => path.join(root, f)).find((f) => fs.existsSync(f));
  if (!file) throw new Error(`${root}: no Pulumi.yaml (pass the project directory with --cwd)`);
  const settings = (parse(fs.readFileSync(file, "utf8")) ?? {}) as Record<string, any>;
  if (!settings.name) throw new Error(`${file}: no project name`);
  return {
    dir: root,
    name: settings.name,
    main: compiledMain(root, settings.main),
    backendUrl: absoluteBackend(root, settings.backend?.url),
    stackConfigDir: path.resolve(root, settings.stackConfigDir ?? "."),
    settings,
  };
}

function absoluteBackend(root: string, url: string | undefined): string | undefined {
  if (!url?.startsWith("file://")) return url;
  const p = url.slice("file://".length);
  return p.startsWith("~") || path.isAbsolute(p) ? url : `file://${path.resolve(root, p)}`;
}

/** main as Pulumi's nodejs runtime resolves it (a directory means its index), then .ts → tsc's outDir. */
function compiledMain(root: string, main: string | undefined): string {
  let target = path.resolve(root, main ?? ".");
  if (fs.existsSync(target) && fs.statSync(target).isDirectory()) {
    target = ["index.js", "index.ts"].map((f) => path.join(target, f)).find((f) => fs.existsSync(f)) ?? path.join(target, "index.ts");
  }
  if (!target.endsWith(".ts")) return target;
  const tsconfig = findUp(path.dirname(target), "tsconfig.json");
  if (!tsconfig) throw new Error(`${target}: a TypeScript program needs a tsconfig.json with outDir (the tools run compiled JavaScript)`);
  const opts = JSON.parse(fs.readFileSync(tsconfig, "utf8")).compilerOptions ?? {};
  const base = path.dirname(tsconfig);
  const rel = path.relative(path.resolve(base, opts.rootDir ?? "."), target).replace(/\.ts$/, ".js");
  const js = path.resolve(base, opts.outDir ?? ".", rel);
  if (!fs.existsSync(js)) throw new Error(`${js} not found: compile the program first (npm run build / npx tsc)`);
  return js;
}

function findUp(dir: string, name: string): string | undefined {
  for (let d = dir; ; d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, name))) return path.join(d, name);
    if (path.dirname(d) === d) return undefined;
  }
}
