// One emulator per test file, reset before each test (unless told not to), and as many stacks as
// the tests make, all cleaned up afterwards (the reliability suites make a stack per scenario).
// Make shared stacks in beforeAll, not inside a test, so `jest -t` can run any test alone.
import { EmulatorProcess } from "./emulator-process";
import { TestStack } from "./stack";

export interface NewStackOptions {
  /** The program under test/e2e/programs; default: the suite's. */
  program?: string;
  env?: Record<string, string>;
  /** Configure `qoder:token` with the emulator's token (default true). */
  token?: boolean;
}

export interface Stacks {
  emu: EmulatorProcess;
  newStack(name: string, opts?: NewStackOptions): Promise<TestStack>;
}

export function useStacks(program: string, opts: { resetEach?: boolean; emulatorToken?: string } = {}): Stacks {
  const made: TestStack[] = [];
  const s: Stacks = {
    emu: undefined as unknown as EmulatorProcess,
    async newStack(name, o = {}) {
      const stack = new TestStack(o.program ?? program, s.emu, { name, env: o.env });
      made.push(stack);
      if (o.token !== false) await stack.configureToken();
      return stack;
    },
  };
  beforeAll(async () => {
    s.emu = await EmulatorProcess.start([], opts.emulatorToken);
  });
  afterAll(async () => {
    for (const stack of made) stack.cleanup();
    await s.emu?.stop();
  });
  if (opts.resetEach !== false) beforeEach(() => s.emu.reset());
  return s;
}
