"""Theorems 1–4: coupling-gain thresholds with every constant, and their numerical checks."""

from ._common import BoundCheck, TheoremBound, bisect_kc
from .coherent import (
    coherent_constants,
    local_liouvillian_norm,
    theorem3,
    theorem3_envelope,
    theorem4,
    theorem4_envelope,
)
from .constants import (
    CoherentConstants,
    ConstantInfo,
    ReducedStateConstants,
    Theorem1Constants,
    Theorem2Constants,
    Theorem3Constants,
    Theorem4Constants,
    TheoremConstants,
)
from .reduced_state import reduced_state_constants, theorem1, theorem2

__all__ = [
    "BoundCheck",
    "CoherentConstants",
    "ConstantInfo",
    "ReducedStateConstants",
    "Theorem1Constants",
    "Theorem2Constants",
    "Theorem3Constants",
    "Theorem4Constants",
    "TheoremConstants",
    "TheoremBound",
    "bisect_kc",
    "coherent_constants",
    "local_liouvillian_norm",
    "reduced_state_constants",
    "theorem1",
    "theorem2",
    "theorem3",
    "theorem3_envelope",
    "theorem4",
    "theorem4_envelope",
]
