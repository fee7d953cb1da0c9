r"""Positive stationary states of the blended coherent dynamics (Definition 2, eq. (17)).

The kernel of :math:`B = P_d^\top\bar AP_d` lives in the :math:`p` coordinates of the induced
graph's components; :math:`B` is :math:`\bar A` (the permutation-averaged Lindblad generator,
:mod:`blendsym.section5.coherent`) restricted to permutation-invariant operators.  The work is
done in the consensus coordinates :math:`y_m` (the value of :math:`\mathrm{vec}(X)` on the
component :math:`\mathbb V_m`), where the generator is :math:`C = D^{-1/2}BD^{1/2}`
(:meth:`~blendsym.section5.coherent.BlendedCoherent.consensus_generator`) and the lift is
:math:`X_{ll'} = y_{m(l,l')}`.

The permutation-invariant projection of a density operator :math:`\rho` has consensus
coordinates :math:`y_m = |\mathbb V_m|^{-1}\sum_{v\in\mathbb V_m}\mathrm{vec}(\rho)_v`, and it
is a density operator; :math:`e^{Ct}` is :math:`e^{\bar At}` on PI operators, a CPTP map.  So
the spectral projector of :math:`C` onto :math:`\ker C` (the Cesàro limit of
:math:`e^{Ct}`) maps these coordinates to those of PI stationary *states*
(:mod:`blendsym.spectral.stationary` for the argument and the checks).  The candidates are,
for one node :math:`(l, l')` of each component, :math:`|l\rangle\langle l|` when
:math:`l = l'`, else :math:`\frac12(|l\rangle+|l'\rangle)(\langle l|+\langle l'|)` and
:math:`\frac12(|l\rangle+i|l'\rangle)(\langle l|-i\langle l'|)`: their PI projections span
every PI operator.  Exact for :math:`2^n\le` :data:`blendsym.limits.EXACT_STATIONARY_DIM`
(:math:`n\le5`), double precision on the :math:`p\times p` matrix :math:`C` above (lifted states
for :math:`n\le10`).
"""

from __future__ import annotations

import numpy as np
import sympy

from .._validate import check_limit
from ..errors import NotComputableError
from ..spectral._stationary_exact import projected_states
from ..spectral._stationary_numeric import numeric_kernels, numeric_projected_states
from ..spectral.stationary import (
    DEFAULT_STATIONARY_TOL,
    PositiveStationaryBasis,
    check_options,
    exact_basis,
)

__all__ = ["coherent_positive_stationary_basis"]


def _candidates(labels: np.ndarray, sizes: list[int], d: int) -> list[dict[int, sympy.Expr]]:
    """Consensus coordinates ``{m: y_m}`` of the PI projections of the candidate states."""
    _, first = np.unique(labels, return_index=True)
    half = sympy.Rational(1, 2)
    diag, real, imag = [], [], []

    def coords(entries: dict) -> dict[int, sympy.Expr]:
        out: dict[int, sympy.Expr] = {}
        for (a, b), v in entries.items():
            m = int(labels[a * d + b])
            out[m] = out.get(m, sympy.Integer(0)) + v / int(sizes[m])
        return out

    for v in first:
        l, lp = divmod(int(v), d)
        if l == lp:
            diag.append(coords({(l, l): sympy.Integer(1)}))
            continue
        real.append(coords({(l, l): half, (lp, lp): half, (l, lp): half, (lp, l): half}))
        imag.append(
            coords(
                {(l, l): half, (lp, lp): half, (l, lp): -sympy.I * half, (lp, l): sympy.I * half}
            )
        )
    return diag + real + imag


def coherent_positive_stationary_basis(
    c, method: str = "auto", tol: float = DEFAULT_STATIONARY_TOL
) -> PositiveStationaryBasis:
    r"""Lifted :math:`2^n\times2^n` density operators spanning the stationary PI operators of
    Definition 2 (:meth:`BlendedCoherent.positive_stationary_basis
    <blendsym.section5.coherent.BlendedCoherent.positive_stationary_basis>`)."""
    from .. import limits
    from .pi_basis import MAX_LIFT_QUBITS

    check_options(method, tol)
    n = c.n
    d = 2**n
    if n > MAX_LIFT_QUBITS:
        raise NotComputableError(
            f"positive_stationary_basis lifts to 2^n x 2^n operators: n must be <= "
            f"{MAX_LIFT_QUBITS}, found {n} (the coordinates: stationary_states())"
        )
    route = method
    if route == "auto":
        route = "exact" if d <= limits.EXACT_STATIONARY_DIM else "numeric"
    if route == "exact":
        check_limit(
            d,
            "EXACT_STATIONARY_DIM",
            f"positive_stationary_basis: the exact route works on 2^{n} x 2^{n} states; use "
            "method='numeric'",
        )
    labels = np.asarray(c.induced.labels if c.basis == "full" else c.pi_basis.node_labels)
    sizes = [int(s) for s in c._sizes()]
    cands = _candidates(labels, sizes, d)
    if route == "numeric":
        C = c.consensus_numeric()
        C = np.asarray(C.toarray() if hasattr(C, "toarray") else C, dtype=complex)
        V, U, norm = numeric_kernels(C, tol)
        if V.shape[1] == 0:
            raise NotComputableError("ker C = 0 numerically: no stationary state")
        states, info = numeric_projected_states(
            lambda y: C @ y,
            V,
            U,
            norm,
            cands,
            lambda y: y[labels].reshape(d, d),
            tol,
        )
        return PositiveStationaryBasis(
            states, method="projection", exact=False, tolerance=tol, checks=info
        )
    spec = c.spectral
    if spec.generic:
        raise NotComputableError(
            f"the model has free symbols {[str(s) for s in spec.parameters]}: positivity of "
            "the stationary states cannot be decided for every value; substitute values first"
        )

    def project() -> list[sympy.Matrix]:
        C = spec.similar
        V = sympy.Matrix.hstack(*C.kernel)
        U = sympy.Matrix.vstack(*C.left_kernel)
        return projected_states(
            V, U, cands, lambda y: sympy.Matrix(d, d, [y[int(m)] for m in labels])
        )

    return exact_basis(c.steady_states(), spec, project)
