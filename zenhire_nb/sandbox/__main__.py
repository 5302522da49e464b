"""``python -m zenhire_nb.sandbox``: the same as ``zenhire-nb sandbox``."""

from zenhire_nb.sandbox.server import main

main()
