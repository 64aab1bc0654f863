"""`python -m generator …` works like `evidence …`."""

import sys

from generator.cli import main

sys.exit(main())
