"""Import path kept for users: the code lives in :mod:`blendsym.numeric.sweep`."""

from .numeric import sweep as _impl
from .numeric.sweep import *  # noqa: F403
from .numeric.sweep import __all__  # noqa: F401


def __getattr__(name: str):
    return getattr(_impl, name)
