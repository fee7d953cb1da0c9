"""The blendsym exception family.

Every error raised on bad input is a :class:`BlendsymError` (itself a
:class:`ValueError`).  A message names the argument, what was expected and
what was found, e.g. ``hamiltonian is not Hermitian: max |H - H^dagger| = 0.5``.

:class:`InternalError` is deliberately *not* part of that family: it reports a failed
self-check of blendsym ("cannot happen"), i.e. a bug, never bad input, so that code that
catches :class:`BlendsymError` to report a user's mistake does not swallow it.
"""

from __future__ import annotations

__all__ = [
    "BlendsymError",
    "InvalidArgumentError",
    "InvalidModelError",
    "InvalidGraphError",
    "InvalidOperatorError",
    "InvalidStateError",
    "NotSeparableError",
    "ModelFileError",
    "NotComputableError",
    "SizeLimitError",
    "InternalError",
    "ReadOnlyError",
    "NotStoredError",
    "ResourceLimitError",
    "QutipConventionWarning",
]


class BlendsymError(ValueError):
    """Base class of every error blendsym raises on bad input or an impossible request."""


class InvalidArgumentError(BlendsymError):
    """An argument of a public function has the wrong type, shape or value."""


class SizeLimitError(InvalidArgumentError):
    """The request exceeds one of the documented size limits of :mod:`blendsym.limits`.

    Raised before the work starts; the message gives the size the request would take and
    the name of the limit.
    """


class InvalidModelError(BlendsymError):
    """A :class:`~blendsym.QuantumNetwork` cannot be built from the given data."""


class InvalidGraphError(InvalidModelError):
    """The weights of the coupling graph are not a valid weighted undirected graph."""


class InvalidOperatorError(InvalidModelError):
    """A Hamiltonian or jump operator is malformed (size, Hermiticity, sites, ...)."""


class InvalidStateError(BlendsymError):
    """A matrix that should be a density operator is not one."""


class NotSeparableError(BlendsymError):
    """Section 4 was asked of a model that violates Assumption 1 (separability)."""


class ModelFileError(BlendsymError):
    """A TOML model file is malformed; the message names the key and position."""


class NotComputableError(BlendsymError):
    """A valid request that cannot be carried out: an exact decision SymPy cannot make (the
    sign of a symbolic real part), or a theorem whose hypotheses the model does not meet (a
    disconnected graph, non-relaxing blended dynamics).  A malformed argument is an
    :class:`InvalidArgumentError` instead."""


class InternalError(RuntimeError):
    """A self-check of blendsym failed: a bug, not bad input (please report it).

    Raised where the code verifies an invariant that holds by construction (for example that
    the reduced-state equations (5) it derived agree with the exact partial trace).  Unlike a
    bare ``assert`` it is raised under ``python -O`` too.  It is a :class:`RuntimeError`, not a
    :class:`BlendsymError`, so that ``except BlendsymError`` (bad input) never hides it.
    """


class ReadOnlyError(BlendsymError, AttributeError):
    """An attribute of an immutable object (a :class:`~blendsym.QuantumNetwork`) was assigned
    or deleted.  Also an :class:`AttributeError`, as for a frozen dataclass; build a new object
    instead (``net.with_coupling(...)``, ``net.subs(...)``, ``QuantumNetwork(...)``)."""


class NotStoredError(BlendsymError):
    """A :class:`~blendsym.evolve.Trajectory` was asked for data its ``observe=`` choice did
    not keep (e.g. the states of a run with ``observe="reduced"``)."""


class ResourceLimitError(SizeLimitError):
    """A computation was refused up front: the memory, the work or the precision it would
    need (stated in the message) is beyond what this machine or the method can give (the
    limits of numeric propagation, :mod:`blendsym.numeric.limits`)."""


class QutipConventionWarning(UserWarning):
    r"""A ``qutip.Qobj`` operator passed to blendsym has QuTiP's ``sigmap()`` or ``sigmam()``
    as a tensor factor: QuTiP's ``sigmap()`` :math:`=\begin{pmatrix}0&1\\0&0\end{pmatrix}` is
    the paper's :math:`\sigma_-` (:func:`blendsym.sigma_minus`) and ``sigmam()`` the paper's
    :math:`\sigma_+`.  The matrix is used as given; the warning says which paper operator it
    is (:func:`blendsym.io.qutip.ladder_sites`).  A warning, not an error (a
    :class:`UserWarning`, outside the :class:`BlendsymError` family): the input is valid.
    Silence it with ``warnings.simplefilter("ignore", blendsym.QutipConventionWarning)``."""
