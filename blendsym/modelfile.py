"""Import path kept for users: the code lives in :mod:`blendsym.io.modelfile`."""

from .io import modelfile as _impl
from .io.modelfile import *  # noqa: F403
from .io.modelfile import __all__  # noqa: F401


def __getattr__(name: str):
    return getattr(_impl, name)
