"""Import path kept for users: the code lives in :mod:`blendsym.model.states`."""

from .model import states as _impl
from .model.states import *  # noqa: F403
from .model.states import __all__  # noqa: F401


def __getattr__(name: str):
    return getattr(_impl, name)
