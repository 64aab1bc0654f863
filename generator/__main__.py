"""`python -m generator …` works like `evidence …`."""

import sys

from .cli import main

sys.exit(main())
