"""`python -m credsite` runs the credsite command line."""

import sys

from credsite.cli import main

sys.exit(main())
