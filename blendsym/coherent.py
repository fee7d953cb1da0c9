"""Import path kept for users: the code lives in :mod:`blendsym.section5.coherent`."""

from .section5 import coherent as _impl
from .section5.coherent import *  # noqa: F403
from .section5.coherent import __all__  # noqa: F401


def __getattr__(name: str):
    return getattr(_impl, name)
