"""Allow ``python -m mdmentor``."""

from mdmentor.cli import main

main()
