"""The project's AWS API emulator: moto's server with the project's extensions registered before it serves.

    python emulator/server.py -H 127.0.0.1 -p 5000     (the same arguments as moto_server)

The moto version is pinned in emulator/requirements.txt; scripts/emulator.mjs installs it and starts this.
"""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import extensions  # noqa: E402,F401  (registers the extensions)
from moto.server import main  # noqa: E402

if __name__ == "__main__":
    main(sys.argv[1:])
