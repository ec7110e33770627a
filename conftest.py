"""Test-wide settings, applied before any notebook kernel starts (kernels inherit them).

MAKEMORE_SCALE is the one knob that shortens the long trainings: the test command
runs every notebook at 1% of the lecture's steps, so `make test` is quick. Set it
yourself (e.g. MAKEMORE_SCALE=1) to test at full length.
"""

import os

os.environ.setdefault("MAKEMORE_SCALE", "0.01")
