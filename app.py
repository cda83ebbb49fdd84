"""Start medeval on the embedded defaults: `python app.py` (same as `medeval serve`)."""

import sys

from medeval_ui.cli import main

if __name__ == "__main__":
    sys.exit(main(["serve", *sys.argv[1:]]))
