"""Import path kept for users: the code lives in :mod:`blendsym.io.latex`."""

from .io import latex as _impl
from .io.latex import *  # noqa: F403
from .io.latex import __all__  # noqa: F401


def __getattr__(name: str):
    return getattr(_impl, name)
