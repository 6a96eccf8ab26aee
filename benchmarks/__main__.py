"""`python -m benchmarks`: the scale benchmark (see benchmarks/scale.py)."""

import sys

from benchmarks.scale import main

sys.exit(main())
