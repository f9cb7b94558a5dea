"""``python -m agb.cli``: the same as the ``agb`` command."""

import sys

from .main import main

sys.exit(main())
