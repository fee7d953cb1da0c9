"""Import path kept for users: the code lives in :mod:`blendsym.model.operators`."""

from .model import operators as _impl
from .model.operators import *  # noqa: F403
from .model.operators import __all__  # noqa: F401


def __getattr__(name: str):
    return getattr(_impl, name)
