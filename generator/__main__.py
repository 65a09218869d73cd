"""`python -m generator` runs the credsite command line."""

import sys

from generator.cli import main

sys.exit(main())
