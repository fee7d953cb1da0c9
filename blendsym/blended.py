"""Import path kept for users: the code lives in :mod:`blendsym.section4.blended`."""

from .section4 import blended as _impl
from .section4.blended import *  # noqa: F403
from .section4.blended import __all__  # noqa: F401


def __getattr__(name: str):
    return getattr(_impl, name)
