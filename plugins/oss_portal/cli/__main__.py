"""``python -m oss_portal.cli``: the same as the ``oss-portal`` command."""

import sys

from .main import main

sys.exit(main())
