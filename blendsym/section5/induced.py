r"""The induced graph :math:`G_d` of Section 5.1: Laplacian :math:`Q_d`, components, :math:`P_d`.

Definition (paper, Section 5.1)
-------------------------------
Nodes :math:`\mathbb V_d = \{|l\rangle\langle l'| : l, l'\in\mathbb B\}`, indexed here by the
row-stacking position :math:`v = l\,2^n + l'` (so a node's state is
:math:`\tilde{\mathbf y}_v = \mathrm{vec}(\rho)_v = \rho_{l l'}`).  Edges

.. math::  \mathbb E_d = \bigl\{\{|l\rangle\langle l'|,\ |S_{jk}(l)\rangle\langle S_{jk}(l')|\}
           : l, l'\in\mathbb B,\ \{j,k\}\in\mathbb E\bigr\}

with weight :math:`a_{jk}`.  With :math:`\Pi_{jk}` the permutation matrix of
:math:`(l,l')\mapsto(S_{jk}(l), S_{jk}(l'))` (which is :math:`U_{jk}\otimes U_{jk}` in row
stacking) the Laplacian is

.. math::  Q_d = \sum_{\{j,k\}\in\mathbb E} a_{jk}\,(I_{4^n} - \Pi_{jk}),

and :math:`\sum a_{jk}\mathcal D(U_{jk})` of eq. (4) is :math:`-Q_d` (eq. (14) up to its sign).

*No parallel edges.*  Read :math:`(l,l')` as a word :math:`w` of :math:`n` letters in
:math:`\{00,01,10,11\}`; :math:`\Pi_{jk}` swaps letters :math:`j, k`.  If two different edges
:math:`\{j,k\}\ne\{j',k'\}` gave the same non-loop edge :math:`\{w, \tau w\}`, then
:math:`(j\,k)w = (j'\,k')w \ne w`.  Disjoint transpositions agree on :math:`w` only if both fix
it; transpositions :math:`(j\,k), (j\,m)` agree only if :math:`w_j = w_k = w_m`, i.e. both fix
:math:`w`.  So every non-loop edge of :math:`G_d` comes from exactly one edge of :math:`G`; the
pairs with :math:`w_j = w_k` are self-loops of the printed :math:`\mathbb E_d`, which do not
contribute to a Laplacian.  Hence the sum above *is* the Laplacian of the simple weighted graph
:math:`G_d` (checked literally in ``tests/test_induced.py``).

Components and :math:`P_d`
--------------------------
For connected :math:`G` the transpositions along :math:`\mathbb E` generate :math:`S_n`, so the
components of :math:`G_d` are the :math:`S_n`-orbits of the words (the four letter counts) and
:math:`p = \binom{n+3}{3}`; for :math:`G` with components :math:`C_1,\dots,C_r` they are the
orbits of :math:`S_{C_1}\times\cdots\times S_{C_r}` and :math:`p=\prod_c\binom{|C_c|+3}{3}`.
:math:`Q_d` is positive semi-definite with exactly :math:`p` zero eigenvalues, and an
orthonormal basis of its kernel is

.. math::  [\mathbf p_m]_v = |\mathbb V_m|^{-1/2}\ (v\in\mathbb V_m),\qquad 0\ \text{otherwise},

so :math:`P_d^\top P_d = I_p` and :math:`P_d P_d^\top` is the orthogonal projector onto
:math:`\ker Q_d`, i.e. the average over each component: eq. (13),
:math:`P_d P_d^\top\mathrm{vec}(\rho) = \mathrm{vec}(\mathcal P_*(\rho))` for connected
:math:`G`.  The paper *prints* :math:`[\mathbf p_m]_v = 1/|\mathbb V_m|`; those vectors are not
normalised (:math:`\mathbf p_m^\top\mathbf p_m = 1/|\mathbb V_m|`) and (13) fails with them —
see :func:`printed_p_m`.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Sequence
from functools import cached_property

import numpy as np
import scipy.linalg
import scipy.sparse as sp
import sympy
from scipy.sparse.csgraph import connected_components

from ..errors import (
    InvalidArgumentError,
    InvalidGraphError,
    InvalidStateError,
    NotComputableError,
)
from ..model.conventions import unvec
from ..model.permutations import _check_n, _first_occurrence_labels, swap_permutation

__all__ = [
    "InducedGraph",
    "induced_graph",
    "induced_graph_from_edges",
    "printed_p_m",
    "expected_n_components",
]

Edge = tuple[int, int, sympy.Expr]


# ----------------------------------------------------------------------------- validation


def _site(x, n: int, what: str) -> int:
    if isinstance(x, bool | np.bool_):
        raise InvalidGraphError(f"edges: {what} must be an integer site: found bool {x!r}")
    try:
        s = operator.index(x)
    except TypeError:
        if isinstance(x, sympy.Integer):
            s = int(x)
        else:
            raise InvalidGraphError(
                f"edges: {what} must be an integer site in 1..{n}: found {type(x).__name__} {x!r}"
            ) from None
    if not 1 <= s <= n:
        raise InvalidGraphError(f"edges: {what} must be a site in 1..{n} (1-based): found {s}")
    return s


def _weight(a, edge) -> sympy.Expr:
    if isinstance(a, bool | np.bool_ | str | bytes):
        raise InvalidGraphError(
            f"edges: weight a_jk of edge {edge} must be a positive number: found {a!r}"
        )
    try:
        w = sympy.sympify(a, strict=True)
    except (sympy.SympifyError, TypeError, ValueError):
        raise InvalidGraphError(
            f"edges: weight a_jk of edge {edge} must be a positive number: "
            f"found {type(a).__name__} {a!r}"
        ) from None
    if not isinstance(w, sympy.Expr) or w.has(sympy.oo, -sympy.oo, sympy.zoo, sympy.nan):
        raise InvalidGraphError(
            f"edges: weight a_jk of edge {edge} must be a finite positive number: found {w}"
        )
    pos = w.is_positive
    if pos is None:
        raise InvalidGraphError(
            f"edges: weight a_jk of edge {edge} must be > 0: cannot decide the sign of {w} "
            "(declare symbols with positive=True)"
        )
    if not pos:
        raise InvalidGraphError(f"edges: weight a_jk of edge {edge} must be > 0: found {w}")
    return w


def _normalise_edges(n: int, edges) -> tuple[Edge, ...]:
    if isinstance(edges, str | bytes) or not hasattr(edges, "__iter__"):
        raise InvalidGraphError(
            f"edges must be a list of (j, k, a_jk) with 1 <= j < k <= {n}: "
            f"found {type(edges).__name__}"
        )
    out: dict[tuple[int, int], sympy.Expr] = {}
    for e in edges:
        if isinstance(e, str | bytes) or not isinstance(e, Sequence | np.ndarray):
            raise InvalidGraphError(
                f"edges: each edge must be a tuple (j, k, a_jk): found {type(e).__name__} {e!r}"
            )
        if len(e) not in (2, 3):
            raise InvalidGraphError(
                f"edges: each edge must be a tuple (j, k, a_jk): found length {len(e)}: {e!r}"
            )
        j = _site(e[0], n, "j")
        k = _site(e[1], n, "k")
        if j == k:
            raise InvalidGraphError(f"edges: self-loop {{{j}, {k}}} is not allowed: found {e!r}")
        if j > k:
            j, k = k, j
        w = _weight(e[2], e) if len(e) == 3 else sympy.S.One
        if (j, k) in out:
            raise InvalidGraphError(f"edges: edge {{{j}, {k}}} is given twice")
        out[(j, k)] = w
    return tuple((j, k, w) for (j, k), w in sorted(out.items()))


def _graph_components(n: int, edges: Sequence[Edge]) -> list[list[int]]:
    """Connected components of G (1-based sites, each sorted, ordered by smallest site)."""
    parent = list(range(n + 1))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for j, k, _ in edges:
        parent[find(j)] = find(k)
    comps: dict[int, list[int]] = {}
    for s in range(1, n + 1):
        comps.setdefault(find(s), []).append(s)
    return sorted(comps.values(), key=lambda c: c[0])


def expected_n_components(n: int, edges=()) -> int:
    r"""The number :math:`p` of components of :math:`G_d` predicted by the orbit argument.

    :math:`p = \prod_c \binom{|C_c| + 3}{3}` over the components :math:`C_c` of :math:`G`
    (:math:`\binom{n+3}{3}` for a connected :math:`G`).
    """
    n = _check_n(n)
    comps = _graph_components(n, _normalise_edges(n, edges))
    return math.prod(math.comb(len(c) + 3, 3) for c in comps)


# ----------------------------------------------------------------------------- the graph


class InducedGraph:
    r"""Induced graph :math:`G_d(\mathbb V_d,\mathbb E_d)` of a weighted qubit graph (Sec. 5.1).

    Build it with :func:`induced_graph` or :func:`induced_graph_from_edges`.  Node
    :math:`v = l\,2^n + l'` is :math:`|l\rangle\langle l'|` (row stacking, as ``vec``).

    Attributes
    ----------
    n, dim
        Number of qubits and of nodes :math:`4^n`.
    edges
        The edges of :math:`G` as ``(j, k, a_jk)`` (1-based, :math:`j<k`, exact weights).
    laplacian
        :math:`Q_d = \sum a_{jk}(I - \Pi_{jk})`, ``scipy.sparse`` CSR float64.
    labels
        Component label of every node (components numbered by their smallest node index).
    components
        The sorted node arrays of each component.
    n_components
        :math:`p`.
    component_sizes
        :math:`|\mathbb V_m|`.
    P_d
        :math:`4^n\times p` CSR with orthonormal columns
        :math:`|\mathbb V_m|^{-1/2}\mathbb 1_{\mathbb V_m}`.
    """

    def __init__(self, n: int, edges: Sequence[Edge]):
        self.n: int = _check_n(n)
        self.edges: tuple[Edge, ...] = _normalise_edges(self.n, edges)
        self.dim: int = 4**self.n
        d = 2**self.n
        # Pi_jk as an index map on row-stacking positions: v = l d + l' -> S(l) d + S(l')
        self._maps: list[np.ndarray] = []
        for j, k, _ in self.edges:
            s = swap_permutation(j, k, self.n)
            self._maps.append((s[:, None] * d + s[None, :]).ravel())
        rows, cols = [], []
        ar = np.arange(self.dim, dtype=np.int64)
        for f in self._maps:
            moved = f != ar
            rows.append(ar[moved])
            cols.append(f[moved])
        if rows:
            r = np.concatenate(rows)
            c = np.concatenate(cols)
        else:
            r = c = np.zeros(0, dtype=np.int64)
        adjacency = sp.csr_matrix(
            (np.ones(r.size, dtype=np.int8), (r, c)), shape=(self.dim, self.dim)
        )
        _, raw = connected_components(adjacency, directed=False)
        self.labels: np.ndarray = _first_occurrence_labels(raw)
        self.n_components: int = int(self.labels.max()) + 1
        self.component_sizes: np.ndarray = np.bincount(self.labels)
        order = np.argsort(self.labels, kind="stable")
        self.components: list[np.ndarray] = np.split(order, np.cumsum(self.component_sizes)[:-1])

    def __repr__(self) -> str:
        return (
            f"InducedGraph(n={self.n}, edges={len(self.edges)}, nodes={self.dim}, "
            f"components={self.n_components})"
        )

    # ------------------------------------------------------------------ Laplacian

    @cached_property
    def _float_weights(self) -> list[float]:
        out = []
        for j, k, w in self.edges:
            if w.free_symbols:
                raise NotComputableError(
                    f"edge {{{j}, {k}}} has the symbolic weight {w}; the numeric Laplacian needs "
                    "numbers (use laplacian_exact())"
                )
            out.append(float(w))
        return out

    @cached_property
    def laplacian(self) -> sp.csr_matrix:
        r""":math:`Q_d = \sum_{\{j,k\}\in\mathbb E} a_{jk}(I - \Pi_{jk})` as CSR float64.

        Diagonal :math:`\sum_{jk} a_{jk}[\Pi_{jk}v\ne v]`; off-diagonal :math:`-a_{jk}` at
        :math:`(v, \Pi_{jk}v)` for :math:`\Pi_{jk}v\ne v` (no two edges of :math:`G` share an
        off-diagonal position, see the module docstring), i.e. the Laplacian :math:`D - A` of
        the simple weighted graph :math:`G_d`.
        """
        ar = np.arange(self.dim, dtype=np.int64)
        diag = np.zeros(self.dim)
        rows, cols, vals = [ar], [ar], []
        for f, a in zip(self._maps, self._float_weights, strict=True):
            moved = f != ar
            diag[moved] += a
            rows.append(ar[moved])
            cols.append(f[moved])
            vals.append(np.full(int(moved.sum()), -a))
        data = np.concatenate([diag, *vals])
        q = sp.csr_matrix(
            (data, (np.concatenate(rows), np.concatenate(cols))), shape=(self.dim, self.dim)
        )
        q.eliminate_zeros()
        q.sort_indices()
        return q

    def laplacian_exact(self) -> sympy.SparseMatrix:
        r""":math:`Q_d` as an exact ``sympy.SparseMatrix`` (weights kept as given)."""
        entries: dict[tuple[int, int], sympy.Expr] = {}
        ar = np.arange(self.dim, dtype=np.int64)
        for f, (_, _, a) in zip(self._maps, self.edges, strict=True):
            for v in np.flatnonzero(f != ar).tolist():
                u = int(f[v])
                entries[(v, v)] = entries.get((v, v), sympy.S.Zero) + a
                entries[(v, u)] = -a
        return sympy.SparseMatrix(self.dim, self.dim, entries)

    # ------------------------------------------------------------------ P_d

    @cached_property
    def P_d(self) -> sp.csr_matrix:
        r""":math:`P_d = [\mathbf p_1,\dots,\mathbf p_p]`, :math:`[\mathbf p_m]_v =
        |\mathbb V_m|^{-1/2}` on component :math:`m` (orthonormal; the paper prints
        :math:`1/|\mathbb V_m|`, see :func:`printed_p_m`)."""
        vals = 1.0 / np.sqrt(self.component_sizes[self.labels])
        return sp.csr_matrix(
            (vals, (np.arange(self.dim), self.labels)), shape=(self.dim, self.n_components)
        )

    def P_d_exact(self) -> sympy.SparseMatrix:
        r"""Exact :math:`P_d` with entries :math:`1/\sqrt{|\mathbb V_m|}` (SymPy)."""
        vals = [1 / sympy.sqrt(sympy.Integer(int(s))) for s in self.component_sizes]
        return sympy.SparseMatrix(
            self.dim,
            self.n_components,
            {(v, int(m)): vals[m] for v, m in enumerate(self.labels)},
        )

    def _as_vector(self, rho, name: str):
        """vec(rho) for a 2^n x 2^n matrix or a length-4^n vector; ('sympy'|'numpy', vector)."""
        d = 2**self.n
        if isinstance(rho, sympy.MatrixBase):
            if rho.shape == (d, d):
                x = list(rho)  # row-major = row stacking
            elif rho.shape in ((self.dim, 1), (1, self.dim)):
                x = list(rho)
            else:
                raise InvalidStateError(
                    f"{name} must be a {d}x{d} matrix or a vector of length {self.dim}: "
                    f"found shape {rho.shape}"
                )
            bad = [z for z in (sympy.oo, -sympy.oo, sympy.zoo, sympy.nan) if rho.has(z)]
            if bad:
                raise InvalidStateError(f"{name} must have finite entries: found {bad[0]}")
            return "sympy", x
        if sp.issparse(rho):
            rho = rho.toarray()
        try:
            arr = np.asarray(rho)
            if arr.dtype == object or not np.issubdtype(arr.dtype, np.number):
                arr = arr.astype(complex)
        except (TypeError, ValueError):
            raise InvalidArgumentError(
                f"{name} must be numeric: found {type(rho).__name__} that does not convert"
            ) from None
        is_matrix = arr.shape == (d, d)
        is_vector = arr.size == self.dim and (arr.ndim == 1 or (arr.ndim == 2 and 1 in arr.shape))
        if not (is_matrix or is_vector):
            raise InvalidStateError(
                f"{name} must be a {d}x{d} matrix or a vector of length {self.dim}: "
                f"found shape {arr.shape}"
            )
        flat = arr.ravel()
        if not np.all(np.isfinite(flat)):
            raise InvalidStateError(f"{name} must have finite entries: found nan or inf")
        if not np.iscomplexobj(flat):
            flat = flat.astype(float)
        return "numpy", flat

    def project(self, rho):
        r""":math:`\mathbf y_d = P_d^\top\mathrm{vec}(\rho)` (eq. (16), with orthonormal
        :math:`P_d`): :math:`[\mathbf y_d]_m = |\mathbb V_m|^{-1/2}\sum_{v\in\mathbb V_m}
        \mathrm{vec}(\rho)_v`.

        Accepts a :math:`2^n\times 2^n` matrix or a vector of length :math:`4^n`.  SymPy in,
        exact SymPy column vector out; otherwise a NumPy vector of length :math:`p`.  For a
        component in consensus, :math:`\mathrm{vec}(\rho)_v = y_m` on :math:`\mathbb V_m`, this
        gives :math:`\sqrt{|\mathbb V_m|}\,y_m` (the paper's :math:`\mathbf y_d` prints
        :math:`|\mathbb V_m|\,y_m`, consistent only with its unnormalised :math:`\mathbf p_m`).
        """
        kind, x = self._as_vector(rho, "rho")
        if kind == "sympy":
            sums: list[list] = [[] for _ in range(self.n_components)]
            for v, val in enumerate(x):
                if val != 0:
                    sums[self.labels[v]].append(val)
            return sympy.Matrix(
                [
                    sympy.Add(*t) / sympy.sqrt(sympy.Integer(int(s)))
                    for t, s in zip(sums, self.component_sizes, strict=True)
                ]
            )
        if np.iscomplexobj(x):
            tot = np.bincount(
                self.labels, weights=x.real, minlength=self.n_components
            ) + 1j * np.bincount(self.labels, weights=x.imag, minlength=self.n_components)
        else:
            tot = np.bincount(self.labels, weights=x, minlength=self.n_components)
        return tot / np.sqrt(self.component_sizes)

    def lift(self, y):
        r""":math:`\mathrm{vec}^{-1}(P_d\,\mathbf y)` (eq. (15)): the :math:`2^n\times 2^n`
        matrix whose entry at node :math:`v\in\mathbb V_m` is :math:`y_m/\sqrt{|\mathbb V_m|}`.
        SymPy in, exact SymPy out."""
        p = self.n_components
        if isinstance(y, sympy.MatrixBase):
            if y.shape not in ((p, 1), (1, p)):
                raise InvalidArgumentError(
                    f"y must be a vector of length p = {p}: found shape {y.shape}"
                )
            ys = list(y)
            scaled = [
                ys[m] / sympy.sqrt(sympy.Integer(int(s)))
                for m, s in enumerate(self.component_sizes)
            ]
            return unvec(sympy.Matrix([scaled[m] for m in self.labels.tolist()]))
        try:
            arr = np.asarray(y)
            if arr.dtype == object or not np.issubdtype(arr.dtype, np.number):
                arr = arr.astype(complex)
        except (TypeError, ValueError):
            raise InvalidArgumentError(
                f"y must be a numeric vector of length p = {p}: found {type(y).__name__}"
            ) from None
        if arr.size != p or (arr.ndim > 1 and max(arr.shape) != p):
            raise InvalidArgumentError(
                f"y must be a vector of length p = {p}: found shape {arr.shape}"
            )
        arr = arr.ravel()
        if not np.all(np.isfinite(arr)):
            raise InvalidArgumentError("y must have finite entries: found nan or inf")
        return unvec((arr / np.sqrt(self.component_sizes))[self.labels])

    # ------------------------------------------------------------------ spectrum

    def spectral_gap_numeric(self, method: str = "blocks") -> float:
        r"""Smallest nonzero eigenvalue :math:`\lambda_m(Q_d)` by a numerical eigensolver.

        A reference for tests.  ``method="blocks"``: :math:`Q_d` is block diagonal over the
        components and each connected block has exactly one zero eigenvalue, so
        :math:`\lambda_m = \min_m \lambda_2(Q_d|_{\mathbb V_m})` with dense ``eigvalsh`` per
        block (no zero threshold needed).  ``method="dense"``: ``eigvalsh`` of the whole
        :math:`4^n\times 4^n` matrix, dropping the :math:`p` smallest eigenvalues.
        By the Caputo–Liggett–Richthammer theorem (Aldous' spectral-gap conjecture) this equals
        the smallest nonzero eigenvalue of the :math:`n\times n` Laplacian of each component of
        :math:`G`, minimised over the components.
        """
        if method not in ("blocks", "dense"):
            raise InvalidArgumentError(f"method must be 'blocks' or 'dense': found {method!r}")
        if not self.edges:
            raise NotComputableError("the graph has no edges: Q_d = 0 has no nonzero eigenvalue")
        q = self.laplacian
        if method == "dense":
            ev = scipy.linalg.eigvalsh(q.toarray())
            return float(ev[self.n_components])
        best = math.inf
        for comp in self.components:
            if comp.size < 2:
                continue
            block = q[comp][:, comp].toarray()
            ev = scipy.linalg.eigvalsh(block)
            best = min(best, float(ev[1]))
        return best


def induced_graph_from_edges(n: int, edges) -> InducedGraph:
    r"""Induced graph of the :math:`n`-qubit graph with ``edges`` = ``[(j, k, a_jk), ...]``.

    Sites are 1-based, :math:`j\ne k` (given in either order), each unordered pair at most
    once, :math:`a_{jk}>0` a number (int, float, SymPy number, or a SymPy expression known to be
    positive).  ``(j, k)`` without a weight means :math:`a_{jk}=1`.
    """
    return InducedGraph(n, edges)


def induced_graph(net) -> InducedGraph:
    r"""Induced graph :math:`G_d` of a :class:`~blendsym.QuantumNetwork` (Section 5.1).

    Reads ``net.n`` and ``net.graph.edges`` (a list of ``(j, k, a_jk)``).
    """
    try:
        n = net.n
        edges = net.graph.edges
    except AttributeError:
        raise InvalidArgumentError(
            "net must be a QuantumNetwork (attributes n and graph.edges): "
            f"found {type(net).__name__}"
        ) from None
    return InducedGraph(n, edges)


def printed_p_m(graph: InducedGraph, exact: bool = False):
    r"""The vectors :math:`\mathbf p_m` *as printed* in Section 5.1, as columns of a matrix.

    .. math::  [\mathbf p_m]_k = 1/|\mathbb V_m|\ (k\in\mathbb V_m),\quad 0\ \text{otherwise}.

    They span :math:`\ker Q_d` but are **not** orthonormal:
    :math:`\mathbf p_m^\top\mathbf p_m = 1/|\mathbb V_m|`, so :math:`P^\top P =
    \mathrm{diag}(1/|\mathbb V_m|)\ne I` and :math:`P P^\top\mathrm{vec}(\rho)` is the component
    mean divided by :math:`|\mathbb V_m|`, not :math:`\mathrm{vec}(\mathcal P_*(\rho))`: eq. (13)
    fails (except on components of size 1).  ``graph`` is an :class:`InducedGraph` (or a
    network, from which it is built).  Returns CSR float64, or SymPy if ``exact``.
    """
    if not isinstance(graph, InducedGraph):
        graph = induced_graph(graph)
    sizes = graph.component_sizes
    if exact:
        vals = [sympy.Rational(1, int(s)) for s in sizes]
        return sympy.SparseMatrix(
            graph.dim,
            graph.n_components,
            {(v, int(m)): vals[m] for v, m in enumerate(graph.labels)},
        )
    return sp.csr_matrix(
        (1.0 / sizes[graph.labels], (np.arange(graph.dim), graph.labels)),
        shape=(graph.dim, graph.n_components),
    )
