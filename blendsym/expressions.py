"""Import path kept for users: the code lives in :mod:`blendsym.io.expressions`."""

from .io import expressions as _impl
from .io.expressions import *  # noqa: F403
from .io.expressions import __all__  # noqa: F401


def __getattr__(name: str):
    return getattr(_impl, name)
