r"""Positive stationary states of a degenerate kernel: a basis of density operators.

:attr:`SpectralAnalysis.steady_states <blendsym.spectral.SpectralAnalysis.steady_states>`
spans :math:`\ker A` with Hermitian trace-one matrices that need not be positive.  For the
generator :math:`A` of a CPTP semigroup (a Lindblad generator) the kernel is spanned by
density operators, and :func:`positive_stationary_basis` finds such a basis:

* **one-dimensional kernel**: the unique steady state (checked positive);
* **commuting kernel**: the stationary states :math:`\omega_1,\dots,\omega_k` with mutually
  orthogonal supports, the extreme points of the simplex of stationary states
  (:func:`~blendsym.spectral._stationary_exact.commutative_extreme_points`);
* **otherwise**: the spectral projector :math:`\Pi_0` onto :math:`\ker A` along the other
  generalised eigenspaces, applied to the density operators :math:`|i\rangle\langle i|`,
  :math:`\frac12(|i\rangle+|j\rangle)(\langle i|+\langle j|)`,
  :math:`\frac12(|i\rangle+i|j\rangle)(\langle i|-i\langle j|)` (which span every matrix),
  keeping the first :math:`k = \dim\ker A` images that are linearly independent.

Why the projected states are positive.  When :math:`0` is a semisimple eigenvalue, no
eigenvalue has :math:`\mathrm{Re}\,\lambda>0` and those on the imaginary axis are
semisimple (all checked exactly),

.. math:: \Pi_0 = \lim_{T\to\infty}\frac1T\int_0^Te^{At}\,dt ,

(each Jordan-free :math:`e^{i\omega t}`, :math:`\omega\ne0`, averages to zero; the decaying
modes vanish).  If :math:`A` is a Lindblad generator every :math:`e^{At}` is CPTP, the
averages are CPTP and so is their limit: :math:`\Pi_0` maps density operators to stationary
density operators, and the images of a spanning set of states span :math:`\Pi_0(M_d) =
\ker A`.  Every state returned is still checked (exactly: trace one and
positive semidefinite, :mod:`blendsym.model.positivity`); a failed check means :math:`A` is
not a Lindblad generator, and :class:`~blendsym.errors.NotComputableError` says so.

Purely imaginary eigenvalues :math:`\pm i\omega` do not spoil the argument, but they mean that
not every state converges (they oscillate around their Cesàro mean); they are listed in
:attr:`PositiveStationaryBasis.oscillating_eigenvalues`.

Exact arithmetic is used for state dimension :math:`d\le`
:data:`blendsym.limits.EXACT_STATIONARY_DIM`, double precision above (one dense SVD of the
:math:`d^2\times d^2` matrix, :mod:`blendsym.spectral._stationary_numeric`, up to
:data:`blendsym.limits.NUMERIC_STATIONARY_DIM`): the result says which
(:attr:`PositiveStationaryBasis.exact`, :attr:`~PositiveStationaryBasis.tolerance`).
Free symbols make positivity undecidable in general: substitute values first.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import sympy

from .._validate import check_limit
from ..errors import InvalidArgumentError, NotComputableError
from ._stationary_exact import (
    basis_state_candidates,
    commutative_extreme_points,
    projected_states,
    psd_violation,
)
from ._stationary_numeric import numeric_kernels, numeric_projected_states
from .fields import _field_matrix
from .roots import _is_x

__all__ = ["PositiveStationaryBasis", "positive_stationary_basis", "DEFAULT_STATIONARY_TOL"]

#: Default relative tolerance of the numeric route.
DEFAULT_STATIONARY_TOL = 1e-9

_METHODS = ("auto", "exact", "numeric")


class PositiveStationaryBasis(list):
    r"""A list of density operators spanning the stationary states, with how it was found.

    Attributes
    ----------
    method : str
        ``"unique"`` (one-dimensional kernel), ``"extreme points"`` (commuting kernel: states
        with mutually orthogonal supports) or ``"projection"`` (:math:`\Pi_0` applied to basis
        states).
    exact : bool
        ``True``: exact SymPy matrices, positivity decided exactly; ``False``: NumPy arrays from
        the double-precision route, checked to :attr:`tolerance`.
    tolerance : float or None
        The tolerance of the numeric checks (``None`` when exact).
    checks : dict
        Numeric route: ``min_eigenvalue``, ``max_residual`` (:math:`\max\|A\,\mathrm{vec}X\|`),
        ``max_trace_error``.
    oscillating_eigenvalues : tuple of complex
        The non-zero purely imaginary eigenvalues of :math:`A` (exact route, projection only).
    """

    def __init__(
        self,
        states,
        *,
        method: str,
        exact: bool = True,
        tolerance: float | None = None,
        checks: dict | None = None,
        oscillating: tuple = (),
    ) -> None:
        super().__init__(states)
        self.method = method
        self.exact = exact
        self.tolerance = tolerance
        self.checks = dict(checks or {})
        self.oscillating_eigenvalues = tuple(oscillating)

    def describe(self) -> str:
        """One line: exact or numeric (with the checked tolerance), and the method."""
        how = {
            "unique": "the unique steady state",
            "extreme points": "the extreme points (mutually orthogonal supports; the kernel "
            "commutes)",
            "projection": "the spectral projection onto ker A of basis density operators",
        }[self.method]
        if self.exact:
            text = f"exact; {how}"
        else:
            c = self.checks
            text = (
                f"numeric (double precision), checked to tolerance {self.tolerance:g}: smallest "
                f"eigenvalue {c.get('min_eigenvalue', 0.0):.3g}, max |A vec X| "
                f"{c.get('max_residual', 0.0):.3g}; {how}"
            )
        if self.oscillating_eigenvalues:
            vals = ", ".join(f"{z.imag:+.6g}i" for z in self.oscillating_eigenvalues[:6])
            text += (
                f"; A has purely imaginary eigenvalues ({vals}): states oscillate about their "
                "stationary Cesaro mean"
            )
        return text


def check_options(method: str, tol: float) -> None:
    """Refuse an unknown ``method`` or a ``tol`` outside ``(0, 1e-2]``."""
    if not isinstance(method, str) or method not in _METHODS:
        raise InvalidArgumentError(
            f"method must be one of {', '.join(map(repr, _METHODS))}: found {method!r}"
        )
    if not isinstance(tol, float | int) or isinstance(tol, bool) or not 0 < tol <= 1e-2:
        raise InvalidArgumentError(f"tol must be a number in (0, 0.01]: found {tol!r}")


def choose_route(method: str, d: int, tol: float) -> str:
    """``"exact"`` or ``"numeric"`` for state dimension ``d`` (limits checked)."""
    check_options(method, tol)
    if method == "auto":
        from .. import limits

        method = "exact" if d <= limits.EXACT_STATIONARY_DIM else "numeric"
    if method == "exact":
        check_limit(
            d,
            "EXACT_STATIONARY_DIM",
            "positive_stationary_basis: the exact route works on d x d states "
            f"(d = {d}); use method='numeric'",
        )
    else:
        check_limit(
            d,
            "NUMERIC_STATIONARY_DIM",
            f"positive_stationary_basis: the numeric route takes a dense SVD of a {d * d} x "
            f"{d * d} matrix",
        )
    return method


def projection_conditions(spec) -> tuple:
    r"""Check exactly that :math:`\Pi_0` is the Cesàro limit of :math:`e^{At}` (0 semisimple,
    no growing mode, the imaginary axis semisimple); the non-zero purely imaginary
    eigenvalues (as complex numbers)."""
    zero = [f for f in spec._factors if _is_x(f.poly)]
    if not zero:
        raise NotComputableError("0 is not an eigenvalue of A: there is no stationary state")
    if max(zero[0].blocks) > 1:
        raise NotComputableError(
            f"the eigenvalue 0 of A has Jordan blocks {sorted(zero[0].blocks)}: e^(At) grows "
            "polynomially, so A does not generate a CPTP semigroup (not a Lindblad generator)"
        )
    if spec.has_growing_modes:
        raise NotComputableError(
            "A has eigenvalues with positive real part: it does not generate a CPTP "
            "semigroup (not a Lindblad generator)"
        )
    axis = [(f, r) for f, r in spec._factor_roots() if r.re_sign == 0 and not _is_x(f.poly)]
    bad = [f for f, _ in axis if max(f.blocks) > 1]
    if bad:
        raise NotComputableError(
            f"A has purely imaginary eigenvalues (roots of {bad[0].poly.as_expr()}) with Jordan "
            "blocks larger than one: e^(At) is unbounded, not a Lindblad generator"
        )
    return tuple(complex(r.numeric) for _, r in axis if r.numeric is not None)


def _exact_trace_one(x: sympy.Matrix) -> bool:
    return _field_matrix(sympy.Matrix([[x.trace() - 1]]), "trace").dm.is_zero_matrix


def _require_states(states: list[sympy.Matrix], why: str) -> None:
    for k, x in enumerate(states, start=1):
        if not _exact_trace_one(x):
            raise NotComputableError(
                f"stationary state {k} has trace {sympy.simplify(x.trace())}, not 1: {why}"
            )
        bad = psd_violation(x, f"stationary state {k}")
        if bad is not None:
            raise NotComputableError(f"stationary state {k} is not positive ({bad}): {why}")


def exact_basis(
    hermitian: list[sympy.Matrix], spec, project: Callable[[], list[sympy.Matrix]]
) -> PositiveStationaryBasis:
    """The exact route, shared by :class:`SpectralAnalysis` and the blended coherent
    dynamics: ``hermitian`` a Hermitian trace-one basis of the stationary operators,
    ``spec`` the analysis giving the spectral conditions, ``project`` the projected states."""
    not_lindblad = "A does not generate a positive semigroup (not a Lindblad generator)"
    if not hermitian:
        raise NotComputableError(
            "ker A = 0: there is no stationary operator (A is not a Lindblad generator)"
        )
    if len(hermitian) == 1:
        _require_states(hermitian, not_lindblad)
        return PositiveStationaryBasis(hermitian, method="unique")
    ext = commutative_extreme_points(hermitian)
    if ext is not None:
        try:
            _require_states(ext, not_lindblad)
        except NotComputableError:
            ext = None
    if ext is not None:
        return PositiveStationaryBasis(ext, method="extreme points")
    oscillating = projection_conditions(spec)
    states = project()
    _require_states(states, not_lindblad)
    return PositiveStationaryBasis(states, method="projection", oscillating=oscillating)


def _numeric_matrix(spec) -> np.ndarray:
    """:math:`A` in double precision, from its exact non-zeros (dense SymPy evaluation of
    every entry avoided)."""
    if spec.parameters:
        raise NotComputableError(
            f"A has free symbols {[str(s) for s in spec.parameters]}: substitute values for a "
            "numeric stationary basis"
        )
    if spec.similar is not None or spec._matrix is None:
        return spec._numeric
    m = sympy.SparseMatrix(spec.matrix)
    out = np.zeros(m.shape, dtype=complex)
    cache: dict = {}
    for (i, j), v in m.todok().items():
        if v not in cache:
            cache[v] = complex(sympy.N(v, 20))
        out[i, j] = cache[v]
    return out


def positive_stationary_basis(
    spec, method: str = "auto", tol: float = DEFAULT_STATIONARY_TOL
) -> PositiveStationaryBasis:
    r"""A basis of density operators of :math:`\ker A` (see the module docstring).

    Parameters
    ----------
    spec : SpectralAnalysis
        Built with ``state_dim`` (:math:`A` acts on row-stacked :math:`d\times d` matrices).
    method : ``"auto"``, ``"exact"`` or ``"numeric"``
        ``"auto"``: exact for :math:`d\le` :data:`blendsym.limits.EXACT_STATIONARY_DIM`.
    tol : float
        Tolerance of the numeric route (rank decision and checks).

    Raises
    ------
    NotComputableError
        :math:`A` is not a Lindblad generator (a check failed: the message says which), or it
        has free symbols.
    """
    from .analysis import SpectralAnalysis

    if not isinstance(spec, SpectralAnalysis):
        raise InvalidArgumentError(f"spec must be a SpectralAnalysis: found {type(spec).__name__}")
    d = spec._require_state_dim("positive_stationary_basis")
    route = choose_route(method, d, tol)
    if route == "numeric":
        a = _numeric_matrix(spec)
        V, U, norm = numeric_kernels(a, tol)
        if V.shape[1] == 0:
            raise NotComputableError(
                "ker A = 0 numerically: no stationary state (A is not a Lindblad generator)"
            )
        cands = ({i * d + j: v for (i, j), v in c.items()} for c in basis_state_candidates(d))
        states, info = numeric_projected_states(
            lambda y: a @ y, V, U, norm, cands, lambda y: y.reshape(d, d), tol
        )
        return PositiveStationaryBasis(
            states, method="projection", exact=False, tolerance=tol, checks=info
        )
    if spec.generic:
        raise NotComputableError(
            f"A has free symbols {[str(s) for s in spec.parameters]}: positivity of the "
            "stationary states cannot be decided for every value; substitute values first"
        )
    hermitian = spec.steady_states

    def project() -> list[sympy.Matrix]:
        V = sympy.Matrix.hstack(*spec.kernel)
        U = sympy.Matrix.vstack(*spec.left_kernel)
        cands = ({i * d + j: v for (i, j), v in c.items()} for c in basis_state_candidates(d))
        return projected_states(V, U, cands, lambda y: sympy.Matrix(d, d, y))

    return exact_basis(hermitian, spec, project)
