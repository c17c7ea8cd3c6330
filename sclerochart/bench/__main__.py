"""`python -m sclerochart.bench store [options]`: run a benchmark and print its figures."""

import sys

from sclerochart.bench.store import main

if len(sys.argv) < 2 or sys.argv[1] != "store":
    sys.exit("usage: python -m sclerochart.bench store [--patients N] [--dir DIR] [--reuse]")
sys.exit(main(sys.argv[2:]))
