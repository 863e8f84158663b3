"""``python -m dlscan_gui`` starts the GUI."""

import sys

from dlscan_gui.app import main

sys.exit(main())
