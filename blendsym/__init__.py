"""blendsym: blended dynamics of open quantum networks, exact and numeric."""

from .errors import (
    BlendsymError,
    InvalidArgumentError,
    InvalidGraphError,
    InvalidModelError,
    InvalidOperatorError,
    InvalidStateError,
    ModelFileError,
    NotComputableError,
    NotSeparableError,
)

__version__ = "0.1.0"

__all__ = [
    "BlendsymError",
    "InvalidArgumentError",
    "InvalidGraphError",
    "InvalidModelError",
    "InvalidOperatorError",
    "InvalidStateError",
    "ModelFileError",
    "NotComputableError",
    "NotSeparableError",
]
