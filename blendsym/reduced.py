"""Import path kept for users: the code lives in :mod:`blendsym.section4.reduced`."""

from .section4 import reduced as _impl
from .section4.reduced import *  # noqa: F403
from .section4.reduced import __all__  # noqa: F401


def __getattr__(name: str):
    return getattr(_impl, name)
