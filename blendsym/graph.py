"""Import path kept for users: the code lives in :mod:`blendsym.model.graph`."""

from .model import graph as _impl
from .model.graph import *  # noqa: F403
from .model.graph import __all__  # noqa: F401


def __getattr__(name: str):
    return getattr(_impl, name)
