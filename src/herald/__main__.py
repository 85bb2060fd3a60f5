"""``python -m herald`` runs the command line."""

from herald.adapters.cli.main import main

main()
