// One emulator per test file, reset before each test, and as many stacks as the tests make,
// all cleaned up afterwards (the reliability suites make a fresh stack per scenario).
import { EmulatorProcess } from "./emulator-process";
import { TestStack } from "./stack";

export interface Stacks {
  emu: EmulatorProcess;
  /** A stack of `program` with `qoder:token` configured (unless `token: false`). */
  newStack(name: string, opts?: { env?: Record<string, string>; token?: boolean }): Promise<TestStack>;
}

export function useStacks(program: string, opts: { resetEach?: boolean } = {}): Stacks {
  const made: TestStack[] = [];
  const s: Stacks = {
    emu: undefined as unknown as EmulatorProcess,
    async newStack(name, o = {}) {
      const stack = new TestStack(program, s.emu, { name, env: o.env });
      made.push(stack);
      if (o.token !== false) await stack.configureToken();
      return stack;
    },
  };
  beforeAll(async () => {
    s.emu = await EmulatorProcess.start();
  });
  afterAll(async () => {
    for (const stack of made) stack.cleanup();
    await s.emu?.stop();
  });
  if (opts.resetEach !== false) beforeEach(() => s.emu.reset());
  return s;
}
