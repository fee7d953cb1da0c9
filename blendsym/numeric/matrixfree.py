r"""Matrix-free action of the Liouvillian of eq. (4), and real coordinates of Hermitian states.

The state as a tensor
---------------------
A density operator of ``n`` qubits is stored as the :math:`d\times d` array
:math:`\rho_{l l'}` (:math:`d = 2^n`), which NumPy reshapes for free into the
:math:`2n`-index tensor :math:`\rho_{q_1\dots q_n,\,q'_1\dots q'_n}` (row bits first,
qubit 1 the most significant bit, as in :mod:`blendsym.conventions`).  The superoperator
of eq. (4), a :math:`4^n\times 4^n` matrix, is never formed:

.. math::

    \mathcal L\rho = -i\,(G\rho - \rho G^\dagger) + \sum_l \gamma_l\, L_l\rho L_l^\dagger
        + K_c\sum_{\{j,k\}} a_{jk}\,\big(U_{jk}\rho\,U_{jk} - \rho\big),
    \qquad G = \frac{H}{\hbar} - \frac{i}{2}\sum_l \gamma_l L_l^\dagger L_l ,

* **SWAPs are axis transpositions.**  :math:`(U_{jk}\rho U_{jk})_{q,q'}` is
  :math:`\rho` with the tensor axes :math:`q_j\leftrightarrow q_k` *and*
  :math:`q'_j\leftrightarrow q'_k` exchanged: a strided read, no arithmetic and no index
  arrays.  Edges of equal weight are summed first and scaled once; the diagonal part
  :math:`-K_c\sum a_{jk}\,\rho` is one scalar.
* **Local terms are contracted on the row index only.**  All single- and few-site
  terms of :math:`H` and of :math:`\tfrac12\sum\gamma L^\dagger L` (including every diagonal
  :math:`\sigma_z`-string, merged into one diagonal) form the sparse :math:`d\times d` matrix
  :math:`G`, so the contraction of every local term with the row indices is one sparse
  product :math:`G\rho` (cost :math:`\mathrm{nnz}(G)\,d`, against :math:`\mathrm{nnz}(G)\,d`
  *per term pass* for term-by-term 2x2 / 4x4 contractions, which were measured slower).
  For Hermitian :math:`\rho`, :math:`\rho G^\dagger = (G\rho)^\dagger`: one product serves
  both sides.  A jump costs two sparse products, :math:`L_l\rho L_l^\dagger =
  L_l\,(L_l\rho)^\dagger` for Hermitian :math:`\rho`.

Memory is :math:`O(d^2 + \mathrm{nnz}(G))`, against :math:`O(d^2\times
\text{non-zeros per row})` for the sparse Liouvillian (1.2 M non-zeros at ``n = 7``,
31 M at ``n = 9``, about 160 M at ``n = 10``).

Real coordinates
----------------
Eq. (4) maps Hermitian operators to Hermitian operators, so it is a *real* linear map
on the real space of Hermitian matrices.  With the real :math:`d\times d` array

.. math::  Y = \operatorname{Re}\rho + \operatorname{Im}\rho ,\qquad
           \rho = \tfrac12\big((1+i)\,Y + (1-i)\,Y^{\top}\big)

(:math:`\operatorname{Re}\rho` is symmetric and :math:`\operatorname{Im}\rho`
antisymmetric, hence orthogonal: :math:`\|Y\|_F = \|\rho\|_F`, the map is an isometry)
the Liouvillian becomes the real matrix

.. math::  \mathcal L_{\mathbb R} = T^\dagger \mathcal L\, T
           = \operatorname{Re}\mathcal L + (\operatorname{Im}\mathcal L)\,\Pi ,

where :math:`T` is the unitary map :math:`\mathrm{vec}(Y)\mapsto\mathrm{vec}(\rho)` and
:math:`\Pi` the transposition :math:`\mathrm{vec}(X)\mapsto\mathrm{vec}(X^\top)` (use
:math:`\Pi\mathcal L\Pi = \bar{\mathcal L}` for a Hermiticity-preserving map).  Real vectors
halve the memory traffic of every Krylov step and of the sparse product.  The SWAP terms
act on :math:`Y` exactly as on :math:`\rho` (transpositions commute with taking real and
imaginary parts), so they run on the real array.
"""

from __future__ import annotations

import copy
import math
from collections import defaultdict

import numpy as np
import scipy.sparse as sp

try:  # the kernel behind `csr @ dense`, called with a preallocated output
    from scipy.sparse._sparsetools import csr_matvecs as _csr_matvecs
except ImportError:  # pragma: no cover - other SciPy layouts
    _csr_matvecs = None

from ..errors import InvalidArgumentError
from ..model.network import QuantumNetwork, _positive_parameter

__all__ = [
    "MatrixFreeLiouvillian",
    "to_real_coordinates",
    "from_real_coordinates",
    "real_liouvillian",
]


def to_real_coordinates(rho: np.ndarray) -> np.ndarray:
    r"""``Y = Re(rho) + Im(rho)`` for Hermitian ``rho`` (any leading batch axes).

    An isometry from Hermitian matrices onto real matrices; inverse
    :func:`from_real_coordinates`.
    """
    rho = np.asarray(rho)
    if not np.iscomplexobj(rho):
        return np.array(rho, dtype=float)
    return rho.real + rho.imag


def from_real_coordinates(y: np.ndarray, d: int | None = None) -> np.ndarray:
    r""":math:`\rho = \tfrac12((1+i)Y + (1-i)Y^\top)`: the Hermitian matrix with coordinates ``y``.

    ``y`` has shape ``(..., d, d)`` or ``(..., d*d)`` (then ``d`` is required or inferred).
    """
    y = np.asarray(y, dtype=float)
    if y.ndim == 0:
        raise InvalidArgumentError("y must be an array of real coordinates: found a scalar")
    if d is None:
        d = y.shape[-1] if y.ndim >= 2 and y.shape[-1] == y.shape[-2] else math.isqrt(y.shape[-1])
    if y.shape[-2:] != (d, d):
        if y.shape[-1] != d * d:
            raise InvalidArgumentError(
                f"y must have shape (..., {d}, {d}) or (..., {d * d}): found {y.shape}"
            )
        y = y.reshape(y.shape[:-1] + (d, d))
    yt = np.swapaxes(y, -1, -2)
    out = np.empty(y.shape, dtype=complex)
    out.real = y + yt
    out.imag = y - yt
    out *= 0.5
    return out


def transpose_index(d: int) -> np.ndarray:
    r"""The permutation :math:`\Pi` of row-stacked indices: ``(l, l') -> (l', l)``."""
    idx = np.arange(d * d, dtype=np.int64)
    return (idx % d) * d + idx // d


def real_liouvillian(generator, d: int | None = None) -> sp.csr_matrix | np.ndarray:
    r""":math:`\mathcal L_{\mathbb R} = \operatorname{Re}\mathcal L + (\operatorname{Im}\mathcal L)\Pi`.

    ``generator`` is a Hermiticity-preserving superoperator in row stacking (sparse or
    dense, :math:`d^2\times d^2`); the result acts on the real coordinates
    ``vec(Re rho + Im rho)``.  Sparse in, CSR out (the column permutation is applied to
    the imaginary part only, so the number of non-zeros grows by the count of entries that
    are neither real nor imaginary); dense in, dense out.
    """
    dim = generator.shape[0]
    if d is None:
        d = math.isqrt(dim)
    if d * d != dim:
        raise InvalidArgumentError(f"generator must be d^2 x d^2: found shape {generator.shape}")
    perm = transpose_index(d)
    if sp.issparse(generator):
        g = sp.coo_matrix(generator)
        re, im = g.data.real, g.data.imag
        keep_r, keep_i = re != 0, im != 0
        rows = np.concatenate([g.row[keep_r], g.row[keep_i]])
        cols = np.concatenate([g.col[keep_r], perm[g.col[keep_i]]])
        vals = np.concatenate([re[keep_r], im[keep_i]])
        out = sp.csr_matrix((vals, (rows, cols)), shape=(dim, dim))
        out.sum_duplicates()
        out.eliminate_zeros()
        return out
    a = np.asarray(generator)
    out = np.array(a.real, dtype=float)
    if np.iscomplexobj(a):
        out[:, perm] += a.imag
    return out


class MatrixFreeLiouvillian:
    r"""The action :math:`\rho\mapsto\mathcal L\rho` of eq. (4) without the superoperator matrix.

    Parameters
    ----------
    net:
        A :class:`~blendsym.network.QuantumNetwork` with numeric parameters.
    kc:
        The coupling gain (overrides ``net.coupling``).

    Methods
    -------
    ``apply(rho)``: :math:`\mathcal L\rho` for any complex :math:`d\times d` ``rho``.
    ``matvec_real(y)``: :math:`\mathcal L_{\mathbb R}\,y` on real coordinates
    (:func:`to_real_coordinates`), the form the Krylov propagator uses.
    ``norm_bound()``: an upper bound of :math:`\|\mathcal L\|_1` (for the first step size).
    """

    def __init__(self, net: QuantumNetwork, kc=None):
        if not isinstance(net, QuantumNetwork):
            raise InvalidArgumentError(f"net must be a QuantumNetwork: found {type(net).__name__}")
        gain = net.coupling if kc is None else _positive_parameter(kc, "kc")
        self.kc = net._numeric(gain, "kc" if kc is not None else "coupling (K_c)").real
        self.n = net.n
        self.d = net.dim
        hbar = net._numeric(net.hbar, "hbar").real
        g = net.hamiltonian_matrix("scipy").astype(complex) / hbar
        self.jumps: list[tuple[float, sp.csr_matrix]] = []
        for i, (gamma, l_m) in enumerate(net.jump_matrices("scipy")):
            rate = net._numeric(gamma, f"jumps[{i}] rate").real
            l_m = sp.csr_matrix(l_m, dtype=complex)
            self.jumps.append((rate, l_m))
            g = g - 0.5j * rate * (l_m.conj().T @ l_m)
        g = sp.csr_matrix(g)
        g.sum_duplicates()
        g.eliminate_zeros()
        g.sort_indices()
        self.g = g
        self.g_parts = _real_parts(g)
        self.jump_parts = [(rate, _real_parts(l_m)) for rate, l_m in self.jumps]
        by_weight: dict[float, list[tuple[int, ...]]] = defaultdict(list)
        for j, k, a in net.graph.edges:
            by_weight[float(a)].append(self._swap_axes(j, k))
        self.swaps: list[tuple[float, list[tuple[int, ...]]]] = sorted(by_weight.items())
        self.total_weight = float(sum(float(a) for _, _, a in net.graph.edges))
        self.applications = 0
        self._work: dict[str, np.ndarray] | None = None

    @property
    def shape(self) -> tuple[int, int]:
        return (self.d * self.d, self.d * self.d)

    @property
    def nbytes(self) -> int:
        """Bytes held by the sparse factors (the work arrays belong to each copy)."""
        total = 0
        mats = [self.g, *self.g_parts, *(m for _, m in self.jumps)]
        mats += [m for _, parts in self.jump_parts for m in parts]
        for m in mats:
            if m is not None:
                total += m.data.nbytes + m.indices.nbytes + m.indptr.nbytes
        return total

    def copy(self) -> MatrixFreeLiouvillian:
        """A copy that shares the (read-only) sparse factors but has its own work arrays and
        application counter: one per thread or concurrent propagation."""
        new = copy.copy(self)
        new._work = None
        new.applications = 0
        return new

    def _check_vector(self, x: np.ndarray, name: str) -> np.ndarray:
        if x.size != self.d * self.d:
            raise InvalidArgumentError(
                f"{name} must have d^2 = {self.d * self.d} entries (a {self.d} x {self.d} "
                f"operator): found shape {x.shape}"
            )
        if not np.all(np.isfinite(x)):
            raise InvalidArgumentError(f"{name} must have finite entries: found NaN or inf")
        return x

    def _swap_axes(self, j: int, k: int) -> tuple[int, ...]:
        axes = list(range(2 * self.n))
        for off in (0, self.n):
            axes[off + j - 1], axes[off + k - 1] = axes[off + k - 1], axes[off + j - 1]
        return tuple(axes)

    def _swap_sum(
        self, x: np.ndarray, out: np.ndarray | None = None, acc: np.ndarray | None = None
    ) -> np.ndarray:
        r""":math:`K_c\sum a_{jk}(U_{jk}XU_{jk} - X)` by axis transpositions of the tensor view."""
        xt = x.reshape((2,) * (2 * self.n))
        if out is None:
            out = np.empty_like(x)
        if not self.swaps:
            out.fill(0)
            return out
        if acc is None or acc.dtype != x.dtype:
            acc = np.empty_like(x)
        acc_t = acc.reshape(xt.shape)
        for i, (weight, perms) in enumerate(self.swaps):
            np.copyto(acc_t, xt.transpose(perms[0]))
            for p in perms[1:]:
                np.add(acc_t, xt.transpose(p), out=acc_t)
            if i == 0:
                np.multiply(acc, weight * self.kc, out=out)
            else:
                acc *= weight * self.kc
                out += acc
        np.multiply(x, self.kc * self.total_weight, out=acc)
        out -= acc
        return out

    def apply(self, rho: np.ndarray) -> np.ndarray:
        r""":math:`\mathcal L\rho` for a complex ``rho`` (shape ``(d, d)`` or ``(d*d,)``), not
        necessarily Hermitian: :math:`\rho G^\dagger = (G\rho^\dagger)^\dagger`."""
        x = self._check_vector(np.asarray(rho, dtype=complex), "rho")
        shape = x.shape
        x = x.reshape(self.d, self.d)
        self.applications += 1
        out = -1j * (self.g @ x)
        out += 1j * (self.g @ x.conj().T).conj().T
        for rate, l_m in self.jumps:
            out += rate * (l_m @ (l_m @ x.conj().T).conj().T)
        out += self._swap_sum(x)
        return out.reshape(shape)

    def _buffers(self) -> dict[str, np.ndarray]:
        if self._work is None:
            d = self.d
            self._work = {k: np.empty((d, d), dtype=float) for k in ("yt", "a", "b", "c", "s")}
        return self._work

    def matvec_real(self, y: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        r""":math:`\mathcal L_{\mathbb R}\,y`: ``y`` the real coordinates of a Hermitian matrix.

        Real arithmetic throughout.  With :math:`G = G_r + iG_i`, :math:`L = L_r + iL_i` and
        :math:`\rho = \tfrac12((1+i)Y + (1-i)Y^\top)`, the coordinates
        (:math:`\operatorname{Re} + \operatorname{Im}`) of the three parts are

        .. math::

            -i(G\rho - \rho G^\dagger) &\mapsto (G_iY - G_rY^\top) + (G_rY + G_iY^\top)^\top,\\
            L\rho L^\dagger &\mapsto L_rP^\top + L_iQ^\top,\quad
                P = L_rY^\top - L_iY,\ Q = L_rY + L_iY^\top,\\
            U_{jk}\rho\,U_{jk} &\mapsto U_{jk}YU_{jk}\quad\text{(axis transposition)},

        so every product is a real sparse matrix times a real dense :math:`d\times d` array
        (vectorised loops, half the traffic of complex arithmetic).  Work arrays are reused;
        ``out`` (length :math:`d^2`) receives the result when given.
        """
        d = self.d
        y = np.asarray(y, dtype=float)
        if y.size != d * d:
            self._check_vector(y, "y")
        yy = y.reshape(d, d)
        self.applications += 1
        w = self._buffers()
        yt, a, b, c = w["yt"], w["a"], w["b"], w["c"]
        np.copyto(yt, yy.T)
        res = np.empty((d, d), dtype=float) if out is None else out.reshape(d, d)
        self._swap_sum(yy, res, w["s"])
        g_r, g_i = self.g_parts
        # -i(G rho - rho G^dagger):  (G_i Y - G_r Y^T) + (G_r Y + G_i Y^T)^T
        _sparse_times(g_i, yy, a, accumulate=False)
        _sparse_times(g_r, yt, a, accumulate=True, sign=-1.0)
        res += a
        _sparse_times(g_r, yy, b, accumulate=False)
        _sparse_times(g_i, yt, b, accumulate=True)
        res += b.T
        for rate, (l_r, l_i) in self.jump_parts:
            # P = L_r Y^T - L_i Y ;  Q = L_r Y + L_i Y^T ;  L rho L^dagger -> L_r P^T + L_i Q^T
            _sparse_times(l_r, yt, a, accumulate=False)
            _sparse_times(l_i, yy, a, accumulate=True, sign=-1.0)
            np.copyto(b, a.T)
            _sparse_times(l_r, b, c, accumulate=False)
            if l_i is not None and l_i.nnz:
                _sparse_times(l_r, yy, a, accumulate=False)
                _sparse_times(l_i, yt, a, accumulate=True)
                np.copyto(b, a.T)
                _sparse_times(l_i, b, c, accumulate=True)
            if rate != 1.0:
                c *= rate
            res += c
        return res.reshape(-1)

    def norm_bound(self) -> float:
        r"""An upper bound of :math:`\|\mathcal L\|_1` from the factors:
        :math:`2\|G\|_1\|G\|_\infty`-type products are bounded by
        :math:`2\max(\|G\|_1,\|G\|_\infty) + \sum\gamma\|L\|_1\|L\|_\infty + 2K_c\sum a_{jk}`."""

        def n1(a):
            return float(abs(a).sum(axis=0).max()) if a.nnz else 0.0

        def ninf(a):
            return float(abs(a).sum(axis=1).max()) if a.nnz else 0.0

        bound = 2 * max(n1(self.g), ninf(self.g))
        for rate, l_m in self.jumps:
            bound += rate * max(n1(l_m), ninf(l_m)) ** 2
        return bound + 2 * self.kc * self.total_weight

    def dense(self) -> np.ndarray:
        """The superoperator matrix, column by column (for tests on tiny networks)."""
        dim = self.d * self.d
        out = np.empty((dim, dim), dtype=complex)
        e = np.zeros(dim, dtype=complex)
        for i in range(dim):
            e[i] = 1
            out[:, i] = self.apply(e)
            e[i] = 0
        return out


def _real_parts(a: sp.csr_matrix) -> tuple[sp.csr_matrix, sp.csr_matrix | None]:
    """Real and imaginary parts of a complex CSR matrix (``None`` for an all-zero part)."""
    parts = []
    for x in (a.real, a.imag):
        x = sp.csr_matrix(x, dtype=float, copy=True)  # never share index arrays with ``a``
        x.eliminate_zeros()
        x.sort_indices()
        parts.append(x if x.nnz else None)
    return parts[0], parts[1]


def _sparse_times(
    a: sp.csr_matrix | None,
    x: np.ndarray,
    out: np.ndarray,
    accumulate: bool = False,
    sign: float = 1.0,
) -> np.ndarray:
    """``out (+)= sign * (a @ x)`` for real CSR ``a`` and C-contiguous real ``x`` (no allocation).

    ``a = None`` stands for the zero matrix.
    """
    if not accumulate:
        out.fill(0)
    if a is None:
        return out
    if _csr_matvecs is None or not x.flags.c_contiguous or x.dtype != a.dtype:
        out += sign * (a @ x)
        return out
    n_row, n_col = a.shape
    if sign == 1.0:
        _csr_matvecs(n_row, n_col, x.shape[1], a.indptr, a.indices, a.data, x.ravel(), out.ravel())
    else:
        _csr_matvecs(n_row, n_col, x.shape[1], a.indptr, a.indices, -a.data, x.ravel(), out.ravel())
    return out
