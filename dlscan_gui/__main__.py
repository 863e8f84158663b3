"""``python -m dlscan_gui`` starts the GUI (same options as ``dlscan``)."""

import sys

from dlscan_gui.app import main

sys.exit(main())
