#!/usr/bin/env python3
"""Build the budget site: `python build.py` (build), `check`, `serve`. See README.md."""
import sys

from budgetsite.cli import main

if __name__ == "__main__":
    sys.exit(main())
