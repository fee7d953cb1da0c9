"""The paper's examples, figures and verification report."""

from .examples import (
    example1,
    example1_printed_steady_state,
    example2,
    example2_printed_blended_initial_state,
    example2_printed_initial_state,
    example3,
)

__all__ = [
    "example1",
    "example1_printed_steady_state",
    "example2",
    "example2_printed_blended_initial_state",
    "example2_printed_initial_state",
    "example3",
]
