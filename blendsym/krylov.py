"""Import path kept for users: the code lives in :mod:`blendsym.numeric.krylov`."""

from .numeric import krylov as _impl
from .numeric.krylov import *  # noqa: F403
from .numeric.krylov import __all__  # noqa: F401


def __getattr__(name: str):
    return getattr(_impl, name)
