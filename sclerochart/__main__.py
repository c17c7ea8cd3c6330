"""`python -m sclerochart`: the same as the `sclerochart` command."""

import sys

from sclerochart.launch import main

sys.exit(main())
