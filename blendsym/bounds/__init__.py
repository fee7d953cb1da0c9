"""Theorems 1–4: coupling-gain thresholds with every constant, and their numerical checks;
Theorems 1, 2 and 4 also as NumPy functions of a model's symbols (:mod:`.parametric`)."""

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
from .parametric import (
    ParametricBound,
    ParametricConstantInfo,
    ParametricConstants,
    TheoremFunction,
    theorem1_function,
    theorem2_function,
    theorem4_function,
)
from .reduced_state import reduced_state_constants, theorem1, theorem2

__all__ = [
    "BoundCheck",
    "CoherentConstants",
    "ConstantInfo",
    "ParametricBound",
    "ParametricConstantInfo",
    "ParametricConstants",
    "ReducedStateConstants",
    "Theorem1Constants",
    "Theorem2Constants",
    "Theorem3Constants",
    "Theorem4Constants",
    "TheoremConstants",
    "TheoremBound",
    "TheoremFunction",
    "bisect_kc",
    "coherent_constants",
    "local_liouvillian_norm",
    "reduced_state_constants",
    "theorem1",
    "theorem1_function",
    "theorem2",
    "theorem2_function",
    "theorem3",
    "theorem3_envelope",
    "theorem4",
    "theorem4_function",
    "theorem4_envelope",
]
