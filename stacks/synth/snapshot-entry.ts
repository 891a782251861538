/**
 * The synth snapshot's builder script (scripts/app.mjs bundles it with everything it imports and runs
 * `node --build-snapshot` on the bundle). Loading it loads cdktf, the provider classes and every module and stack of
 * this repository, and installs the token-key registry; main() itself, the first call that reads the environment
 * (SYSTEMS, ENVIRONMENTS, the emulator endpoint), runs only once a process has started from the snapshot.
 * Nothing is constructed before the snapshot is taken, so every process starts from the same empty app.
 */
import "cdktf"; // first, so that cdktf's internal modules load in its own order (they require each other)
import { startupSnapshot } from "node:v8";
import { TokenMap } from "cdktf/lib/tokens/private/token-map";
import { cacheTokenKeys } from "../../scripts/synth-runtime.mjs";
import { main } from "../../main";

/** cdktf's stack-trace module: it reads this export at every call, so replacing it takes effect. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const stackTrace = require("cdktf/lib/tokens/private/stack-trace") as { captureStackTrace: () => string[] };

cacheTokenKeys(TokenMap as unknown as Parameters<typeof cacheTokenKeys>[0]);

startupSnapshot.setDeserializeMainFunction(() => {
  if (!process.env.DEBUG) stackTrace.captureStackTrace = () => [];
  main();
});
