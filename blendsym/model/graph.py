r"""The weighted coupling graph :math:`G = (\mathbb V, \mathbb E)` of Section 2.2.

Weights :math:`a_{jk} = a_{kj} > 0` on edges, :math:`a_{jk} = 0` otherwise, zero diagonal.
The Laplacian is

.. math::  Q_{jk} = -a_{jk}\ (j\neq k), \qquad Q_{jj} = \sum_{k} a_{jk}

(the paper prints the diagonal sum over the wrong index, :math:`\sum_{j=1}^n a_{jk}`;
for a symmetric weight matrix both sums agree).  :math:`Q` is positive
semidefinite with as many zero eigenvalues as :math:`G` has connected components;
:math:`\lambda_m(Q)` denotes its smallest non-zero eigenvalue (used by Theorems 1–4).
"""

from __future__ import annotations

from functools import cached_property

import numpy as np
import scipy.sparse as sp
import scipy.sparse.csgraph as csgraph
import sympy

from .._validate import check_int, check_model_number, check_qubits, describe, show
from ..errors import InvalidGraphError

__all__ = ["Graph", "as_graph", "complete_graph"]


def _weight_scalar(v, where: str) -> sympy.Expr:
    w = check_model_number(v, f"weights{where}", error=InvalidGraphError)
    if w.free_symbols:
        raise InvalidGraphError(
            f"weights{where} must be a number: found the expression {w} "
            "(symbolic edge weights are not supported)"
        )
    if not (w.is_real or w.is_real is None and abs(complex(w).imag) == 0):
        raise InvalidGraphError(f"weights{where} must be real: found {w}")
    if w.is_negative:
        raise InvalidGraphError(f"weights{where} must be non-negative: found {w}")
    return w


class Graph:
    r"""A weighted undirected graph on nodes ``1..n``.

    An empty edge list ``[]`` (or a zero matrix, or a networkx graph without edges) is the
    graph *without edges*: ``n`` isolated nodes, :attr:`n_components` ``= n``, and no coupling
    term in eq. (4).  It is accepted on purpose (a network of uncoupled qubits is a valid
    model, and disconnected graphs are a planned extension), but everything that the paper
    derives for a connected :math:`G` (:attr:`lambda_m`, Theorems 1-4, eq. (13)) refuses it
    with a message naming the components.

    Parameters
    ----------
    n:
        Number of nodes (at most :data:`~blendsym.limits.NETWORK_MAX_QUBITS`).
    weights:
        An ``n x n`` symmetric non-negative matrix with zero diagonal (SymPy, NumPy or
        nested lists); or an edge list ``[(j, k)]`` / ``[(j, k, a_jk)]`` with 1-based
        nodes (weight 1 when omitted); or a ``networkx.Graph`` whose nodes are the integers
        ``1..n`` (or ``0..n-1``), using the edge attribute ``weight`` (default 1).  Weights
        are real, non-negative numbers (magnitude window of :mod:`blendsym.limits`).
    """

    def __init__(self, n: int, weights):
        self.n = check_qubits(n, "n")
        self._w = _parse_weights(self.n, weights)

    # ---------------------------------------------------------------- data
    @property
    def weights(self) -> sympy.ImmutableMatrix:
        """The exact weight matrix :math:`[a_{jk}]`."""
        return self._w

    @cached_property
    def edges(self) -> list[tuple[int, int, sympy.Expr]]:
        """Each unordered edge once, as ``(j, k, a_jk)`` with ``1 <= j < k <= n``."""
        return [
            (j + 1, k + 1, self._w[j, k])
            for j in range(self.n)
            for k in range(j + 1, self.n)
            if self._w[j, k] != 0
        ]

    @cached_property
    def laplacian(self) -> sympy.ImmutableMatrix:
        r"""The exact Laplacian :math:`Q`."""
        n = self.n
        q = sympy.zeros(n, n)
        for j, k, a in self.edges:
            q[j - 1, k - 1] -= a
            q[k - 1, j - 1] -= a
            q[j - 1, j - 1] += a
            q[k - 1, k - 1] += a
        return sympy.ImmutableMatrix(q)

    def laplacian_numeric(self) -> np.ndarray:
        """The Laplacian as a float array."""
        return np.array(self.laplacian.evalf().tolist(), dtype=float)

    def weights_numeric(self) -> np.ndarray:
        return np.array(self._w.evalf().tolist(), dtype=float)

    # ---------------------------------------------------------------- structure
    @cached_property
    def _components(self) -> tuple[int, np.ndarray]:
        adj = sp.csr_matrix((self.weights_numeric() != 0).astype(float))
        p, labels = csgraph.connected_components(adj, directed=False)
        # number the components by their smallest node
        order: dict[int, int] = {}
        for lab in labels:
            order.setdefault(int(lab), len(order))
        return p, np.array([order[int(lab)] for lab in labels])

    @property
    def n_components(self) -> int:
        return self._components[0]

    @property
    def components(self) -> list[list[int]]:
        """Connected components as sorted lists of 1-based nodes."""
        p, labels = self._components
        return [[int(i) + 1 for i in np.flatnonzero(labels == c)] for c in range(p)]

    @property
    def is_connected(self) -> bool:
        return self.n_components == 1

    # ---------------------------------------------------------------- spectrum
    @cached_property
    def lambda_m(self) -> sympy.Expr:
        r""":math:`\lambda_m(Q)`, the smallest non-zero eigenvalue of :math:`Q`, exactly.

        Rational weights: the characteristic polynomial over :math:`\mathbb Q` and its
        exactly isolated real roots (closed forms or ``CRootOf``).  Other exact weights:
        SymPy's eigenvalues when it finds them.  Float weights: ``numpy.linalg.eigvalsh``
        returned as a ``Float``.  Raises when the graph has no edge.
        """
        if not self.edges:
            raise InvalidGraphError("the graph has no edge: lambda_m(Q) does not exist")
        q = self.laplacian
        if any(isinstance(e, sympy.Float) or e.has(sympy.Float) for e in q):
            return sympy.Float(self.lambda_m_numeric())
        x = sympy.Symbol("x")
        if all(e.is_rational for e in q):
            poly = sympy.Poly(q.charpoly(x).as_expr(), x, domain="QQ")
            roots = [r for r in sympy.real_roots(poly) if r != 0]
            return min(roots, key=lambda r: float(r))
        try:
            ev = [e for e in q.eigenvals() if sympy.simplify(e) != 0]
            return min(ev, key=lambda r: float(r))
        except Exception:  # pragma: no cover - SymPy could not solve
            return sympy.Float(self.lambda_m_numeric())

    def lambda_m_numeric(self) -> float:
        """:math:`\\lambda_m(Q)` in floating point (``eigvalsh``)."""
        if not self.edges:
            raise InvalidGraphError("the graph has no edge: lambda_m(Q) does not exist")
        ev = np.linalg.eigvalsh(self.laplacian_numeric())
        scale = max(abs(ev).max(), 1.0)
        nz = ev[ev > 1e-10 * scale]
        return float(nz.min())

    def __repr__(self) -> str:
        return f"Graph(n={self.n}, edges={[(j, k, a) for j, k, a in self.edges]})"

    def __eq__(self, other) -> bool:
        return isinstance(other, Graph) and self.n == other.n and self._w == other._w

    def __hash__(self):
        return hash((self.n, self._w))


def complete_graph(n: int, weight=1) -> Graph:
    """The complete graph on ``n`` nodes with equal weights."""
    return Graph(n, [(j, k, weight) for j in range(1, n + 1) for k in range(j + 1, n + 1)])


def as_graph(n: int, weights) -> Graph:
    """A :class:`Graph` from any accepted form (a :class:`Graph` is checked against ``n``)."""
    n = check_qubits(n, "n")
    if isinstance(weights, Graph):
        if weights.n != n:
            raise InvalidGraphError(f"weights is a graph on {weights.n} nodes but n = {n}")
        return weights
    return Graph(n, weights)


# ---------------------------------------------------------------------- parsing


def _parse_weights(n: int, weights) -> sympy.ImmutableMatrix:
    if weights is None:
        raise InvalidGraphError(
            "weights must be given (a matrix, an edge list or a networkx.Graph)"
        )
    if _is_networkx_graph(weights):
        return _from_networkx(n, weights)
    if (
        isinstance(weights, sympy.MatrixBase)
        or isinstance(weights, np.ndarray)
        or sp.issparse(weights)
    ):
        return _from_matrix(n, weights)
    if isinstance(weights, (list, tuple)):
        if len(weights) == 0:
            # the graph without edges (see the class docstring): deliberate, not a default
            return sympy.ImmutableMatrix(sympy.zeros(n, n))
        first = weights[0]
        rows = all(isinstance(r, (list, tuple, np.ndarray)) for r in weights)
        if (
            isinstance(first, (list, tuple, np.ndarray))
            and len(weights) == n
            and rows
            and all(len(r) == n for r in weights)
            and not (n in (2, 3) and _looks_like_edges(weights))
        ):
            return _from_matrix(n, weights)
        try:
            return _from_edges(n, weights)
        except InvalidGraphError as exc:
            lengths = [len(r) for r in weights] if rows else []
            if len(weights) == n and n in lengths and len(set(lengths)) > 1:
                bad = next(i for i, k in enumerate(lengths) if k != n)
                raise InvalidGraphError(
                    f"weights is neither a {n} x {n} matrix (row {bad + 1} has {lengths[bad]} "
                    f"entr{'y' if lengths[bad] == 1 else 'ies'}, expected {n}) nor an edge list "
                    f"({exc})"
                ) from None
            raise
    raise InvalidGraphError(
        "weights must be an n x n matrix, an edge list [(j, k) | (j, k, a_jk)] or a "
        f"networkx.Graph: found {type(weights).__name__}"
    )


def _looks_like_edges(rows) -> bool:
    """Disambiguate an n x n nested list from an edge list when n is 2 or 3."""
    try:
        arr = np.array(rows, dtype=float)
    except (TypeError, ValueError, OverflowError):
        return True
    if arr.ndim != 2 or arr.shape[0] != arr.shape[1]:
        return True
    # a weight matrix has a zero diagonal, so a zero diagonal means a matrix.  Otherwise it is
    # an edge list only if every row is a valid edge (1-based j != k in 1..n); if not, it is
    # read as a matrix, whose check then reports the non-zero diagonal.
    if not np.any(np.diag(arr) != 0):
        return False
    n = arr.shape[0]
    ends = arr[:, :2]
    return bool(
        np.all(ends == np.round(ends))
        and np.all((ends >= 1) & (ends <= n))
        and np.all(ends[:, 0] != ends[:, 1])
    )


def _is_networkx_graph(obj) -> bool:
    mod = type(obj).__module__ or ""
    return mod.startswith("networkx") and hasattr(obj, "edges") and hasattr(obj, "nodes")


def _from_networkx(n: int, g) -> sympy.ImmutableMatrix:
    if g.is_directed():
        raise InvalidGraphError("weights must be an undirected networkx.Graph: found a DiGraph")
    if g.is_multigraph():
        raise InvalidGraphError("weights must be a simple networkx.Graph: found a multigraph")
    odd = [v for v in g.nodes if isinstance(v, bool) or not isinstance(v, int | np.integer)]
    if odd:
        raise InvalidGraphError(
            f"weights: the networkx.Graph must have the integer nodes 1..{n} (or 0..{n - 1}): "
            f"found the node {describe(odd[0])}"
        )
    nodes = sorted(int(v) for v in g.nodes)
    if nodes == list(range(1, n + 1)):
        offset = 0
    elif nodes == list(range(n)):
        offset = 1
    else:
        raise InvalidGraphError(
            f"weights: the networkx.Graph must have nodes 1..{n} (or 0..{n - 1}): found {nodes}"
        )
    edges = [
        (int(j) + offset, int(k) + offset, d.get("weight", 1)) for j, k, d in g.edges(data=True)
    ]
    return _from_edges(n, edges)


def _from_matrix(n: int, m) -> sympy.ImmutableMatrix:
    if sp.issparse(m):
        m = m.toarray()
    if isinstance(m, sympy.MatrixBase):
        shape = m.shape
        rows = m.tolist()
    else:
        arr = np.asarray(m, dtype=object)
        shape = arr.shape
        rows = arr.tolist() if arr.ndim == 2 else None
    if len(shape) != 2 or shape != (n, n):
        raise InvalidGraphError(
            f"weights must be a {n} x {n} matrix for n = {n}: found shape {shape}"
        )
    w = sympy.zeros(n, n)
    for j in range(n):
        for k in range(n):
            w[j, k] = _weight_scalar(rows[j][k], f"[{j + 1},{k + 1}]")
    for j in range(n):
        if w[j, j] != 0:
            raise InvalidGraphError(
                f"weights must have a zero diagonal (no self-loops): found a_{j + 1}{j + 1} = {w[j, j]}"
            )
    worst = None
    for j in range(n):
        for k in range(j + 1, n):
            diff = w[j, k] - w[k, j]
            if diff != 0 and (diff.is_Number or sympy.simplify(diff) != 0):
                mag = abs(complex(diff))
                if worst is None or mag > worst[0]:
                    worst = (mag, j + 1, k + 1)
    if worst is not None:
        raise InvalidGraphError(
            f"weights must be symmetric: max |a_jk - a_kj| = {worst[0]:.3g} "
            f"(at j={worst[1]}, k={worst[2]})"
        )
    return sympy.ImmutableMatrix(w)


def _node(v, n: int, name: str) -> int:
    """A 1-based node of an edge: an integer (no bool, float or string) in 1..n."""
    v = check_int(v, name, error=InvalidGraphError)
    if not 1 <= v <= n:
        raise InvalidGraphError(f"{name} must be in 1..{n} (1-based): found {show(v)}")
    return v


def _from_edges(n: int, edges) -> sympy.ImmutableMatrix:
    w = sympy.zeros(n, n)
    seen = set()
    for idx, e in enumerate(edges):
        if not isinstance(e, (list, tuple)) or len(e) not in (2, 3):
            raise InvalidGraphError(
                f"weights[{idx}] must be an edge (j, k) or (j, k, a_jk): found {describe(e)}"
            )
        j, k = (_node(e[i], n, f"weights[{idx}]: node {nm}") for i, nm in ((0, "j"), (1, "k")))
        if j == k:
            raise InvalidGraphError(f"weights[{idx}]: self-loop ({j}, {k}) is not allowed")
        a = _weight_scalar(e[2] if len(e) == 3 else 1, f"[{idx}] (edge {j}-{k})")
        if a == 0 or (a.is_positive is False):
            raise InvalidGraphError(
                f"weights[{idx}]: edge weight a_{j}{k} must be positive: found {a}"
            )
        key = (min(j, k), max(j, k))
        if key in seen:
            raise InvalidGraphError(f"weights[{idx}]: edge {key} is listed twice")
        seen.add(key)
        w[j - 1, k - 1] = a
        w[k - 1, j - 1] = a
    return sympy.ImmutableMatrix(w)
