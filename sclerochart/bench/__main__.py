"""`python -m sclerochart.bench store|ui|reports [options]`: run a benchmark and print its figures."""

import sys

USAGE = (
    "usage: python -m sclerochart.bench store [--patients N] [--dir DIR] [--reuse]\n"
    "       python -m sclerochart.bench ui [--clinic PATH] [--rounds N]\n"
    "       python -m sclerochart.bench reports [--rounds N]\n"
    "       python -m sclerochart.bench watch [--postgres URL] [--seconds S] [--changes N]\n"
    "       python -m sclerochart.bench crash [--trials N] [--seed S] [--dir DIR]\n"
    "       python -m sclerochart.bench backup [--clinic PATH] [--patients N] [--adds N]\n"
    "       python -m sclerochart.bench course [--clinic PATH] [--rounds N]\n"
    "       python -m sclerochart.bench startup [--clinic PATH] [--runs N] [--query TEXT]\n"
    "       python -m sclerochart.bench all [--runs N] [--dir DIR]"
)

if len(sys.argv) < 2 or sys.argv[1] not in (
    "store",
    "ui",
    "reports",
    "watch",
    "crash",
    "backup",
    "course",
    "startup",
    "all",
):
    sys.exit(USAGE)
if sys.argv[1] == "store":
    from sclerochart.bench.store import main
elif sys.argv[1] == "ui":
    from sclerochart.bench.ui import main
elif sys.argv[1] == "all":
    from sclerochart.bench.all import main
elif sys.argv[1] == "startup":
    from sclerochart.bench.startup import main
elif sys.argv[1] == "course":
    from sclerochart.bench.course import main
elif sys.argv[1] == "backup":
    from sclerochart.bench.backup import main
elif sys.argv[1] == "crash":
    from sclerochart.bench.crash import main
elif sys.argv[1] == "watch":
    from sclerochart.bench.watch import main
else:
    from sclerochart.bench.reports import main
sys.exit(main(sys.argv[2:]))
