"""Import path kept for users: the code lives in :mod:`blendsym.section5.induced`."""

from .section5 import induced as _impl
from .section5.induced import *  # noqa: F403
from .section5.induced import __all__  # noqa: F401


def __getattr__(name: str):
    return getattr(_impl, name)
