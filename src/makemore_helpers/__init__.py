"""Shared helpers for the makemore exercises: data, datasets, gradient checks, plots.

It holds boilerplate and checks, never the answer to an exercise.
"""

#: The one place the version lives: pyproject.toml reads it, and every notebook's set-up cell pins it.
__version__ = "0.2.0"

from makemore_helpers.data import DataError, load_words
from makemore_helpers.dataset import build_dataset, itos, make_splits, split_words, stoi, vocab_size
from makemore_helpers.exercise import ExerciseNotWritten, require_written, todo
from makemore_helpers.gradcheck import GradientCheckError, cmp
from makemore_helpers.results import record
from makemore_helpers.training import describe, full, set_scale, steps

__all__ = [
    "DataError", "ExerciseNotWritten", "GradientCheckError", "build_dataset",
    "cmp", "describe", "itos", "load_words", "make_splits", "record", "require_written", "split_words",
    "set_scale", "steps", "stoi", "todo", "vocab_size", "full",
]
