"""Import path kept for users: the code lives in :mod:`blendsym.numeric.evolve`."""

from .numeric import evolve as _impl
from .numeric.evolve import *  # noqa: F403
from .numeric.evolve import __all__  # noqa: F401


def __getattr__(name: str):
    return getattr(_impl, name)
