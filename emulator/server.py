"""The project's AWS API emulator: moto's server with the project's extensions registered before it serves.

    python emulator/server.py -H 127.0.0.1 -p 5000     (the same arguments as moto_server)

The moto version is pinned in emulator/requirements.txt; scripts/emulator.mjs installs it and starts this.
"""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import extensions  # noqa: E402,F401  (registers the extensions)
import moto.server  # noqa: E402
from retry_replay import RetryReplay  # noqa: E402

_run_simple = moto.server.run_simple


def _run_simple_replaying(host: str, port: int, application: object, **options: object) -> None:
    """moto's server, its WSGI app behind RetryReplay (emulator/retry_replay.py)."""
    _run_simple(host, port, RetryReplay(application), **options)  # type: ignore[arg-type]


moto.server.run_simple = _run_simple_replaying  # type: ignore[assignment]
main = moto.server.main

if __name__ == "__main__":
    main(sys.argv[1:])
