// Side-effect import, right after node-guard in the modules a `pulumi` run starts with (the
// program's `pulumi-qoder`, the provider process's `provider/impl`): Node's on-disk compile cache
// for every module loaded after it (ours, zod, undici, yaml). Each `pulumi` command starts one
// or more fresh Node processes that load them; cached, that start-up costs about a third less.
// Node keeps the cache in its own directory under the temp dir and skips it when the directory
// cannot be written or NODE_DISABLE_COMPILE_CACHE is set; it never changes what code runs.
import * as nodeModule from "node:module";

try {
  nodeModule.enableCompileCache?.();
} catch {
  // an optimisation only: a Node without it, or a cache it refuses, runs the same code uncached
}
