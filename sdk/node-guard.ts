// Side-effect import, first in a module that may run on a user's `node` (provider/impl): throws
// UnsupportedNodeError on Node < 22 before undici is loaded.
import { assertSupportedNode } from "./node-version";

assertSupportedNode();
