"""``python -m boxoffice.scoring``: score a file of films (``boxoffice.scoring.cli``)."""

import sys

from boxoffice.scoring.cli import main

sys.exit(main())
