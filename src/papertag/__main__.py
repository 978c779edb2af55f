"""``python -m papertag``."""

from papertag.cli import main

main()
