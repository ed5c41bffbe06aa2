"""``python -m normalize`` runs the ``mtnorm`` command."""
import sys

from .cli import main

sys.exit(main())
