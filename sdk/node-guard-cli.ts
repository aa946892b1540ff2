// Side-effect import, first in each command-line entry point (qoder-plan, qoder-drift, the demo,
// qoder-emulator): on Node < 22 prints one line and exits 1 before undici is loaded.
import { nodeVersionProblem } from "./node-version";

const problem = nodeVersionProblem();
if (problem) {
  process.stderr.write(`${problem}\n`);
  process.exit(1);
}
