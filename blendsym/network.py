"""Import path kept for users: the code lives in :mod:`blendsym.model.network`."""

from .model import network as _impl
from .model.network import *  # noqa: F403
from .model.network import __all__  # noqa: F401


def __getattr__(name: str):
    return getattr(_impl, name)
