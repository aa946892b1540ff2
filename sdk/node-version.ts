// The Node.js this package needs, checked before anything loads undici (which crashes on Node 20
// with "Cannot read properties of undefined (reading 'bind')"). No imports: it must run first.
// The provider runs under whichever `node` is first on PATH when the Pulumi CLI starts it, so
// the message names the binary that was found.

export const MIN_NODE_MAJOR = 22;

/** The problem with this Node, or undefined when it is new enough. */
export function nodeVersionProblem(version: string = process.version, execPath: string = process.execPath): string | undefined {
  const major = Number(/^v?(\d+)\./.exec(version)?.[1]);
  if (major >= MIN_NODE_MAJOR) return undefined;
  return `pulumi-qoder needs Node.js ${MIN_NODE_MAJOR} or newer; found ${version} at ${execPath} (the Qoder provider runs under the \`node\` first on PATH)`;
}

export class UnsupportedNodeError extends Error {
  constructor(message: string) {
    super(message);
    // Pulumi prints an error's stack; ours is the whole story.
    this.stack = message;
  }
}
// On the prototype, so inspecting the error shows no `{ name }` block after the message.
Object.defineProperty(UnsupportedNodeError.prototype, "name", { value: "UnsupportedNodeError" });

/** Throws UnsupportedNodeError on a Node older than MIN_NODE_MAJOR. */
export function assertSupportedNode(): void {
  const problem = nodeVersionProblem();
  if (problem) throw new UnsupportedNodeError(problem);
}
