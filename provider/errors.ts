// Errors the provider raises for users to read. The dynamic-provider host logs failures of
// check, diff, read and delete as `${err}: ${err.stack}` (and create/update by message), so
// ours carry no stack and render as `error: <message>`: a stack trace only hides the message.
export class ProviderError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ProviderError";
    Object.defineProperty(this, "stack", { value: message, enumerable: false, writable: true, configurable: true });
  }

  override toString(): string {
    return "error";
  }
}

/** Ours as it is; anything else (an sdk settings error...) keeps only its message. */
export function asProviderError(e: unknown): ProviderError {
  return e instanceof ProviderError ? e : new ProviderError(e instanceof Error ? e.message : String(e), { cause: e });
}
