"""Test-wide settings, applied before any notebook kernel starts (kernels inherit them).

MAKEMORE_SCALE is the one knob that shortens the long trainings: the test command
runs every notebook at 1% of the lecture's steps, so `make test` is quick. Set it
yourself (e.g. MAKEMORE_SCALE=1) to test at full length.

MAKEMORE_STRICT=1 tells the self-checks that they run under the test command: a check that could
not do all of its work (a replaying check that could not read a student's line back) fails
instead of passing with a note, so CI never passes on a weaker check.
"""

import os

os.environ.setdefault("MAKEMORE_SCALE", "0.01")
os.environ.setdefault("MAKEMORE_STRICT", "1")
