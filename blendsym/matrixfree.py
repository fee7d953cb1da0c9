"""Import path kept for users: the code lives in :mod:`blendsym.numeric.matrixfree`."""

from .numeric import matrixfree as _impl
from .numeric.matrixfree import *  # noqa: F403
from .numeric.matrixfree import __all__  # noqa: F401


def __getattr__(name: str):
    return getattr(_impl, name)
