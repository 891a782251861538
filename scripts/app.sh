#!/bin/sh
# cdktf.json's "app": synthesizes main.ts.
#
# The fast start: when scripts/app.mjs has built the synth snapshot for this NODE_OPTIONS, Node starts straight from it
# (no second Node process to check the cache first). The snapshot hashes the sources itself before it runs anything
# and exits 75 when they are not the ones it was built from; Node exits 14 when the snapshot does not fit this binary.
# In both cases, with no snapshot, or with SYNTH_SNAPSHOT=0, scripts/app.mjs runs: it rebuilds what is stale and synthesizes.
# Where there is no POSIX shell (Windows), set "app" to "node scripts/app.mjs": the same output, about 0.1 s slower.
root=$(dirname "$0")/..
if [ "${SYNTH_SNAPSHOT:-1}" != 0 ] && [ $# -eq 0 ]; then
  # 8 hex digits of sha256(NODE_OPTIONS), as scripts/synth-sources.mjs optionsKey; e3b0c442 is the empty string's.
  if [ -z "${NODE_OPTIONS:-}" ]; then
    key=e3b0c442
  else
    key=$(printf '%s' "$NODE_OPTIONS" | { sha256sum 2>/dev/null || shasum -a 256 2>/dev/null; } | cut -c1-8)
  fi
  blob="$root/.cache/app/synth-$key.blob"
  if [ -n "$key" ] && [ -f "$blob" ]; then
    # The V8 flags of SNAPSHOT_FLAGS in scripts/app.mjs (a snapshot starts only with the flags it was built with).
    node --initial-heap-size=256 --snapshot-blob "$blob"
    status=$?
    if [ "$status" -ne 14 ] && [ "$status" -ne 75 ]; then exit "$status"; fi
  fi
fi
exec node "$root/scripts/app.mjs" "$@"
