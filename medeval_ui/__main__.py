"""`python -m medeval_ui ...` is the same as `medeval ...`."""

import sys

from medeval_ui.cli import main

sys.exit(main())
