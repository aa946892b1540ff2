// Entry of the demo project (root Pulumi.yaml `main`). The language host runs a program in the
// directory of its `main`, and the Fleet's `qoder` directory and its skill paths are relative to
// the repository root, so the entry sits here and loads the compiled program (gitops/index.ts).
module.exports = require("./dist/gitops/index.js");
