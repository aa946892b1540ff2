// The one formatter of property paths, in Pulumi's syntax: tools[2].mcpServerName. Check
// failures, Fleet problems and reports all name fields this way.
export function propertyPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, p) => (typeof p === "number" ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)), "");
}
