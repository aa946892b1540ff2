// The command lines of the qoder-* tools: `--flag value` or `--flag=value`, and bare words.
/** A bad command line: the tools print the message with their usage, never a stack trace. */
export class UsageError extends Error {}

export type ArgvItem = { positional: string; flag?: undefined } | { flag: string; value(): string };

/** Walks argv; `value()` takes the flag's inline `=value` or the next word, refusing an empty one. */
export function* readFlags(argv: readonly string[]): Generator<ArgvItem> {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith("-")) {
      yield { positional: arg };
      continue;
    }
    const [flag, inline] = arg.split(/=(.*)/s, 2);
    yield {
      flag,
      value: () => {
        const v = inline ?? argv[++i];
        if (v === undefined || v === "") throw new UsageError(`${flag} needs a value`);
        return v;
      },
    };
  }
}
