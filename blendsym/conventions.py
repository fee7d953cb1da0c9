"""Import path kept for users: the code lives in :mod:`blendsym.model.conventions`."""

from .model import conventions as _impl
from .model.conventions import *  # noqa: F403
from .model.conventions import __all__  # noqa: F401


def __getattr__(name: str):
    return getattr(_impl, name)
