/**
 * The synth snapshot's builder script (scripts/app.mjs bundles it with everything it imports and runs
 * `node --build-snapshot` on the bundle). Loading it loads cdktf, the provider classes and every module and stack of
 * this repository, and installs the token-key registry.
 *
 * Warm-up: while the snapshot is built, it synthesizes the whole estate once into a scratch directory (SYNTH_WARM_UP,
 * set by scripts/app.mjs) and throws the result away. V8 keeps the bytecode of every function that ran, and zod the
 * validators it compiled, so a process started from the snapshot does not compile them again (about 45 ms of 600).
 * Nothing the warm-up built stays: its app is garbage, and cdktf's token registry, the one process-wide state a synth
 * changes, is put back as it was before.
 *
 * A process started from the snapshot first checks the repository's sources (scripts/synth-sources.mjs: names, sizes
 * and times, then the contents' hash if those differ) and exits 75, before anything else, when they are not the ones
 * it was built from: scripts/app.sh starts it without checking, and
 * then runs scripts/app.mjs, which rebuilds it. Then it runs main(), which reads the environment (SYSTEMS, ENVIRONMENTS,
 * the emulator endpoint).
 */
import "cdktf"; // first, so that cdktf's internal modules load in its own order (they require each other)
import { rmSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { startupSnapshot } from "node:v8";
import { TokenMap } from "cdktf/lib/tokens/private/token-map";
import { cacheTokenKeys } from "../../scripts/synth-runtime.mjs";
import { runtimeParts, sourceHash, sourceStamp } from "../../scripts/synth-sources.mjs";
import { main, synthesize } from "../../main";

/** The hash of the sources this snapshot is built from, and their stamp (esbuild's `define`, set by scripts/app.mjs). */
declare const SYNTH_SOURCES: string;
declare const SYNTH_STAMP: string;

/** The snapshot's exit code when the sources changed since it was built (scripts/app.sh and app.mjs read it). */
const STALE = 75;

/** cdktf's stack-trace module: it reads this export at every call, so replacing it takes effect. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const stackTrace = require("cdktf/lib/tokens/private/stack-trace") as { captureStackTrace: () => string[] };

/** The fields of cdktf's token registry (private in its typings). */
interface TokenRegistry {
  stringTokenMap: Map<string, unknown>;
  numberTokenMap: Map<number, unknown>;
  tokenCounter: number;
}

cacheTokenKeys(TokenMap as unknown as Parameters<typeof cacheTokenKeys>[0]);

/** One synth of every stack into `outdir`, then cdktf's token registry exactly as it was before it. */
function warmUp(outdir: string): void {
  const registry = TokenMap.instance() as unknown as TokenRegistry;
  const before = { strings: [...registry.stringTokenMap], numbers: [...registry.numberTokenMap], counter: registry.tokenCounter };
  const capture = stackTrace.captureStackTrace;
  stackTrace.captureStackTrace = () => [];
  try {
    synthesize({}, outdir);
  } catch {
    // Bad input fails the same way in every synth; main() reports it when a process started from the snapshot runs.
  } finally {
    stackTrace.captureStackTrace = capture;
    registry.stringTokenMap = new Map(before.strings);
    registry.numberTokenMap = new Map(before.numbers);
    registry.tokenCounter = before.counter;
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** The repository: the blob is `<repository>/.cache/app/<name>.blob`, named in this process's `--snapshot-blob`. */
function repository(): string | undefined {
  const args = process.execArgv;
  const at = args.indexOf("--snapshot-blob");
  const blob = at >= 0 ? args[at + 1] : args.find((a) => a.startsWith("--snapshot-blob="))?.slice("--snapshot-blob=".length);
  return blob === undefined ? undefined : resolve(dirname(blob), "..", "..");
}

if (process.env.SYNTH_WARM_UP) warmUp(process.env.SYNTH_WARM_UP);

startupSnapshot.setDeserializeMainFunction(() => {
  // graceful-fs (under cdktf's fs-extra) caches process.cwd() at its first call, which was while this snapshot was
  // built, in .cache/app; its process.chdir clears that cache, and "." leaves the real directory as it is.
  process.chdir(".");
  const root = repository();
  if (root === undefined || (sourceStamp(root) !== SYNTH_STAMP && sourceHash(root, runtimeParts()) !== SYNTH_SOURCES)) process.exit(STALE);
  if (!process.env.DEBUG) stackTrace.captureStackTrace = () => [];
  main();
});
