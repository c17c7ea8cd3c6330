"""`python -m sclerochart`: the same as the `sclerochart` command."""

import sys

from sclerochart.cli import main

sys.exit(main())
