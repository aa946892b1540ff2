// The dynamic provider of every qoder.File: this module's exports object is what
// resources.ts hands to Pulumi, so `__provider` is `require("pulumi-qoder/provider/providers/file")`
// for an installed package (see ../shim.ts). Exports only: nothing else may live here.
import { providerMethods } from "../shim";

const m = providerMethods("file");
export const { configure, check, diff, create, read, update } = m;
const remove = m.delete;
export { remove as delete };
