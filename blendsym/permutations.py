"""Import path kept for users: the code lives in :mod:`blendsym.model.permutations`."""

from .model import permutations as _impl
from .model.permutations import *  # noqa: F403
from .model.permutations import __all__  # noqa: F401


def __getattr__(name: str):
    return getattr(_impl, name)
