r"""Exact positive stationary states (the machinery of :mod:`blendsym.spectral.stationary`).

Two constructions, both in the exact field :math:`K` of the kernel (with :math:`i` adjoined):

* :func:`projected_states`: the spectral projector
  :math:`\Pi_0 = V(UV)^{-1}U` onto :math:`\ker A` along the rest of the spectrum
  (:math:`V` a basis of :math:`\ker A`, :math:`U` of the left kernel
  :math:`\{u : uA = 0\}`; :math:`UV` is invertible iff :math:`\lambda = 0` is semisimple)
  applied to density operators, keeping a linearly independent subset of the images;
* :func:`commutative_extreme_points`: for a commuting kernel, the stationary states with
  mutually orthogonal supports :math:`\omega_1,\dots,\omega_k` (the vertices of the simplex of
  stationary states), read off the eigenvectors of the :math:`k\times k` matrix :math:`T` of
  :math:`W\mapsto X^{+}YW` on the kernel (:math:`X, Y` two elements of the kernel).

:func:`psd_violation` decides positivity exactly (:mod:`blendsym.model.positivity`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import sympy
from sympy.polys.matrices import DomainMatrix

from ..errors import InternalError, NotComputableError
from .fields import LAMBDA, _field_matrix

__all__ = [
    "basis_state_candidates",
    "projected_states",
    "commutative_extreme_points",
    "psd_violation",
]


def basis_state_candidates(d: int) -> Iterable[dict[tuple[int, int], sympy.Expr]]:
    r"""Density operators spanning :math:`M_d(\mathbb C)`, as ``{(i, j): entry}``:
    :math:`|i\rangle\langle i|`, then :math:`\frac12(|i\rangle+|j\rangle)(\langle i|+\langle j|)`
    and :math:`\frac12(|i\rangle+i|j\rangle)(\langle i|-i\langle j|)` for :math:`i<j`."""
    half = sympy.Rational(1, 2)
    for i in range(d):
        yield {(i, i): sympy.Integer(1)}
    for i in range(d):
        for j in range(i + 1, d):
            yield {(i, i): half, (j, j): half, (i, j): half, (j, i): half}
    for i in range(d):
        for j in range(i + 1, d):
            yield {(i, i): half, (j, j): half, (i, j): -sympy.I * half, (j, i): sympy.I * half}


def _with_i(columns: sympy.Matrix) -> DomainMatrix:
    """``columns`` over one exact field that contains :math:`i` (a column of ``I`` is added for
    the field and dropped)."""
    extra = sympy.zeros(columns.rows, 1)
    extra[0, 0] = sympy.I
    dm = _field_matrix(sympy.Matrix.hstack(columns, extra), "kernel").dm
    return dm.extract(list(range(columns.rows)), list(range(columns.cols)))


def _reduce(u: list, echelon: list[tuple[int, list]], K) -> list:
    for piv, row in echelon:
        c = u[piv]
        if c != K.zero:
            u = [a - c * b for a, b in zip(u, row, strict=True)]
    return u


def _add(u: list, echelon: list[tuple[int, list]], K) -> bool:
    """Add ``u`` to the echelon basis if it is independent of it (``True`` then)."""
    u = _reduce(u, echelon, K)
    piv = next((i for i, a in enumerate(u) if a != K.zero), None)
    if piv is None:
        return False
    inv = K.one / u[piv]
    u = [a * inv for a in u]
    echelon[:] = [(p, [a - r[piv] * b for a, b in zip(r, u, strict=True)]) for p, r in echelon]
    echelon.append((piv, u))
    return True


def projected_states(
    V: sympy.Matrix,
    U: sympy.Matrix,
    candidates: Iterable[dict[int, sympy.Expr]],
    lift: Callable[[list], sympy.Matrix],
) -> list[sympy.Matrix]:
    r""":math:`\Pi_0 x` for the first candidates ``x`` (sparse vectors ``{index: value}`` in the
    coordinates of :math:`V`) whose images are linearly independent, until :math:`k` are found;
    ``lift`` turns a coordinate vector (SymPy numbers) into a matrix.

    Independence of :math:`\Pi_0x = V(UV)^{-1}(Ux)` is that of :math:`Ux\in K^k`, decided
    exactly by an incremental echelon form."""
    N, k = V.shape
    dm = _with_i(sympy.Matrix.hstack(V, U.T))
    K = dm.domain
    Vd = dm.extract(list(range(N)), list(range(k)))
    Ut = dm.extract(list(range(N)), list(range(k, 2 * k)))  # N x k, row idx = U[:, idx]
    G = Ut.transpose() * Vd
    if G.rank() < k:
        raise NotComputableError(
            "the left and right kernels of A pair degenerately (U V is singular): the "
            "eigenvalue 0 is not semisimple, so there is no spectral projector onto ker A"
        )
    Minv = G.inv()
    rows = Ut.to_list()
    echelon: list[tuple[int, list]] = []
    chosen: list[list] = []
    for cand in candidates:
        u = [K.zero] * k
        for idx, c in cand.items():
            ck = K.from_sympy(c)
            u = [a + ck * b for a, b in zip(u, rows[idx], strict=True)]
        if _add(list(u), echelon, K):
            chosen.append(u)
            if len(chosen) == k:
                break
    if len(chosen) < k:  # pragma: no cover - the candidates span every matrix
        raise InternalError(f"the projected basis states span {len(chosen)} of {k} dimensions")
    coeffs = Minv * DomainMatrix([list(r) for r in zip(*chosen, strict=True)], (k, k), K)
    Y = Vd * coeffs
    cols = Y.to_Matrix()
    return [lift(list(cols[:, j])) for j in range(k)]


def _vec_rows(ms: list[DomainMatrix]) -> list[list]:
    """Rows of the matrix whose columns are the row-stacked ``ms``."""
    flat = [[x for row in m.to_list() for x in row] for m in ms]
    return [list(r) for r in zip(*flat, strict=True)]


def _try_split(H: list[DomainMatrix], cx: list[int], cy: list[int], K) -> list | None:
    k = len(H)
    X = H[0] * K(cx[0])
    Y = H[0] * K(cy[0])
    for h, a, b in zip(H[1:], cx[1:], cy[1:], strict=True):
        X = X + h * K(a)
        Y = Y + h * K(b)
    rows = _vec_rows([X * h for h in H] + [Y * h for h in H])
    aug = DomainMatrix(rows, (len(rows), 2 * k), K)
    r, piv = aug.rref()
    if tuple(piv) != tuple(range(k)):  # X H_l dependent, or Y H_i outside their span
        return None
    T = r.extract(list(range(k)), list(range(k, 2 * k)))
    poly = sympy.Poly(T.charpoly(), LAMBDA, domain=K)
    _, factors = poly.factor_list()
    if len(factors) != k or any(f.degree() != 1 or m != 1 for f, m in factors):
        return None  # repeated ratios (unlucky X, Y) or extreme points outside K
    out = []
    for f, _ in factors:
        lam = -f.monic().rep.to_list()[1]
        null = (T - DomainMatrix.eye(k, K) * lam).nullspace()
        e = null.to_list()[0]
        w = H[0] * e[0]
        for h, c in zip(H[1:], e[1:], strict=True):
            w = w + h * c
        out.append(w)
    return out


def commutative_extreme_points(H: list[sympy.Matrix]) -> list[sympy.Matrix] | None:
    r"""The stationary states with mutually orthogonal supports spanning the commuting kernel
    spanned by the Hermitian ``H`` (``None`` if the ``H`` do not commute, or the construction
    does not apply: then use :func:`projected_states`).

    If the kernel is :math:`\mathrm{span}\{\omega_j\}` with :math:`\omega_j\omega_l = 0`
    (:math:`j\ne l`), then for :math:`X = \sum_js_j\omega_j` (all :math:`s_j\ne0`) and
    :math:`Y = \sum_jt_j\omega_j`, :math:`X^+Y = \sum_j(t_j/s_j)\Pi_j` (:math:`\Pi_j` the
    support projector of :math:`\omega_j`) maps the kernel to itself with eigenvectors
    :math:`\omega_j`.  Its matrix :math:`T` in the basis ``H`` solves
    :math:`\sum_lT_{li}XH_l = YH_i` (exactly, by one echelon form), and the eigenvectors of
    :math:`T` are the :math:`\omega_j` (when its :math:`k` eigenvalues are distinct and in
    :math:`K`).  The result is verified by the caller (orthogonality here)."""
    k = len(H)
    d = H[0].rows
    cols = sympy.Matrix.hstack(*[sympy.Matrix(d * d, 1, list(h)) for h in H])
    dm = _with_i(cols)
    K = dm.domain
    Hd = [
        DomainMatrix([[dm[i * d + j, c].element for j in range(d)] for i in range(d)], (d, d), K)
        for c in range(k)
    ]
    for a in range(k):
        for b in range(a + 1, k):
            if Hd[a] * Hd[b] != Hd[b] * Hd[a]:
                return None
    for t in range(4):
        cx = [1 + (j if t % 2 else 0) for j in range(k)]
        cy = [(j + 2) ** (t + 2) + j * j for j in range(k)]
        found = _try_split(Hd, cx, cy, K)
        if found is None:
            continue
        for a in range(k):
            for b in range(k):
                if a != b and not (found[a] * found[b]).is_zero_matrix:
                    return None  # supports not orthogonal: not the commutative structure
        out = []
        for w in found:
            tr = sum((w[i, i].element for i in range(d)), K.zero)
            if tr == K.zero:
                return None
            w = w * (K.one / tr)
            out.append(sympy.Matrix(w.to_Matrix()))
        return sorted(out, key=lambda w: next(i for i in range(d) if w[i, i] != 0))
    return None


def psd_violation(x: sympy.Matrix, name: str) -> str | None:
    r"""``None`` if the exact Hermitian ``x`` is positive semidefinite, else why not (exact:
    :func:`blendsym.model.positivity.exact_psd_violation`, the matrix padded with zeros to a
    power-of-two dimension, which does not change positivity)."""
    from ..model.positivity import exact_psd_violation

    d = x.rows
    entries = {
        (i, j): sympy.nsimplify(v) if v.is_Float else v
        for (i, j), v in sympy.SparseMatrix(x).todok().items()
        if v != 0
    }
    n = max(1, (d - 1).bit_length())
    return exact_psd_violation(entries, n, name)
