"""Theorems 1–4: coupling-gain thresholds with every constant, and their numerical checks."""

from ._common import BoundCheck, TheoremBound, bisect_kc
from .reduced_state import reduced_state_constants, theorem1, theorem2

__all__ = [
    "BoundCheck",
    "TheoremBound",
    "bisect_kc",
    "reduced_state_constants",
    "theorem1",
    "theorem2",
]
