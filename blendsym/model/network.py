r"""The diffusively coupled open quantum network of eq. (4).

.. math::

    \frac{d\rho}{dt} = -\frac{i}{\hbar}[H,\rho] + \sum_{l\in\mathbb I}\gamma_l\,\mathcal D(L_l)\rho
        + K_c \sum_{\{j,k\}\in\mathbb E} a_{jk}\,\mathcal D(U_{jk})\rho ,

with the SWAP operators :math:`U_{jk}` exchanging the tensor factors :math:`j` and
:math:`k`.  Since :math:`U_{jk} = U_{jk}^\dagger = U_{jk}^{-1}`,
:math:`\mathcal D(U_{jk})\rho = U_{jk}\rho U_{jk} - \rho`.

In row-stacking form (:mod:`blendsym.conventions`) eq. (4) reads
:math:`\dot{\tilde y} = (A_d - K_c Q_d)\,\tilde y` with

.. math::

    A_d = -\frac{i}{\hbar}(H\otimes I - I\otimes H^{\top})
        + \sum_l \gamma_l\Big(L_l\otimes \bar L_l - \tfrac12 L_l^\dagger L_l\otimes I
        - \tfrac12 I\otimes (L_l^\dagger L_l)^{\top}\Big),
    \qquad Q_d = \sum_{\{j,k\}} a_{jk}\,(I - U_{jk}\otimes U_{jk}),

:math:`Q_d` being the Laplacian of the induced graph (Section 5.1).  (The paper's eq. (14)
prints :math:`+K_c Q_d` and an :math:`A_d` with other signs and without the transposes;
see the verification report.)
"""

from __future__ import annotations

import cmath

import numpy as np
import scipy.sparse as sp
import sympy

from .._validate import (
    check_choice,
    check_magnitudes,
    check_positive_parameter,
    check_qubits,
    check_substitution,
)
from ..errors import (
    InvalidArgumentError,
    InvalidModelError,
    InvalidOperatorError,
    ReadOnlyError,
    SizeLimitError,
)
from ._memo import Memo
from .conventions import dissipator_superop, hamiltonian_superop
from .graph import Graph, as_graph
from .operators import SiteOperator, as_site_operator
from .permutations import Backend, permutation_unitary, swap_permutation, swap_unitary

__all__ = ["QuantumNetwork", "KC"]

#: The default coupling gain symbol :math:`K_c` (positive).
KC = sympy.Symbol("K_c", positive=True)


def _positive_parameter(value, name: str, allow_symbol: bool = True) -> sympy.Expr:
    """A real positive number or a SymPy expression not known to be non-positive
    (:func:`blendsym._validate.check_positive_parameter`, raising :class:`InvalidModelError`)."""
    return check_positive_parameter(value, name, allow_symbol=allow_symbol, error=InvalidModelError)


#: Relative tolerance for the Hermiticity of floating-point Hamiltonians (that of
#: :func:`blendsym.states.validate_density` for density operators).
HERMITIAN_TOL = 1e-9


def _hermitian_part_of_float(op: SiteOperator) -> SiteOperator:
    r"""For an operator whose coefficients are all floating-point numbers: if
    :math:`\max_P|\mathrm{Im}\,c_P| \le 10^{-9}\max(1, \max_P|c_P|)` (round-off, e.g. from a
    numerically assembled matrix), its Hermitian part (real coefficients); otherwise ``op``."""
    coeffs = list(op.terms.values())
    if not coeffs or not all(c.is_number and c.has(sympy.Float) for c in coeffs):
        return op
    vals = [complex(c) for c in coeffs]
    scale = max(1.0, max(abs(v) for v in vals))
    if max(abs(v.imag) for v in vals) > HERMITIAN_TOL * scale:
        return op
    return SiteOperator({k: sympy.re(c) for k, c in op.terms.items()})


def _read_only(m: sp.csr_matrix) -> sp.csr_matrix:
    """``m`` with sorted indices and its arrays made read-only: a matrix kept in a network's
    memo is shared by every caller, so an in-place change must fail rather than corrupt it."""
    m.sort_indices()
    for arr in (m.data, m.indices, m.indptr):
        arr.flags.writeable = False
    return m


class QuantumNetwork:
    r"""A network of ``n`` qubits governed by eq. (4).

    Parameters
    ----------
    n:
        Number of qubits.
    weights:
        The coupling graph: ``n x n`` symmetric non-negative matrix with zero diagonal,
        an edge list ``[(j, k)]`` / ``[(j, k, a_jk)]`` (1-based), a ``networkx.Graph`` or
        a :class:`~blendsym.graph.Graph`.
    hamiltonian:
        :math:`H`: a :class:`~blendsym.operators.SiteOperator` expression, a full
        :math:`2^n\times 2^n` matrix (SymPy, NumPy, SciPy sparse) or ``0``.  Exact input
        must be Hermitian exactly; floating-point input within :data:`HERMITIAN_TOL`
        (relative, as density operators are checked), and its Hermitian part is used.
    jumps:
        ``[L, ...]`` (rate 1) or ``[(gamma, L), ...]``; each ``L`` as for ``hamiltonian``.
        Rates are positive reals or SymPy symbols.
    coupling:
        :math:`K_c`: a positive number or a SymPy expression; default the symbol ``K_c``.
    hbar:
        :math:`\hbar` (default 1), a positive number or symbol.

    Raises
    ------
    InvalidModelError
        Naming the argument, the expectation and what was found.

    Notes
    -----
    **Immutable.**  The attributes ``n``, ``graph``, ``hamiltonian``, ``jumps`` (a tuple),
    ``coupling`` and ``hbar`` are read-only: assigning or deleting any attribute raises
    :class:`~blendsym.errors.ReadOnlyError` (a :class:`~blendsym.errors.BlendsymError` and an
    :class:`AttributeError`, like a frozen dataclass) naming the attribute.
    :meth:`with_coupling`, :meth:`subs` and :meth:`exact` return new networks.

    **Equality and hash by value.**  Two networks are equal when they hold the same data: the
    same ``n`` and weight matrix, the same Pauli coefficients (as the SymPy expressions the
    constructor stores, compared structurally: ``0.5`` and ``1/2`` differ), the same jumps with
    their rates in the same order, and the same ``coupling`` and ``hbar``.  The comparison is
    structural, hence cheap (the key is computed once) and sound for caches: equal networks
    have the same Liouvillian.  Mathematically equal data written differently (jumps in
    another order, ``sin(x)**2 + cos(x)**2`` for ``1``) compares unequal.

    **Derived values are cached on the network.**  The exact and numeric Liouvillian parts,
    the compiled numeric forms and dense propagators of
    :class:`~blendsym.numeric.propagator.NetworkPropagator` and the blended coherent dynamics
    live in one thread-safe memo owned by the network (bounded where it holds large
    objects), valid by construction since the network cannot change.  Pickling and copying
    leave the memo out (:meth:`cache_info`, :meth:`clear_cache`).
    """

    _memo: Memo

    def __init__(self, n: int, weights, hamiltonian=0, jumps=(), coupling=None, hbar=1):
        self.n = check_qubits(n, "n", error=InvalidModelError)
        self.graph: Graph = as_graph(self.n, weights)
        self.hamiltonian: SiteOperator = self._parse_hamiltonian(hamiltonian)
        self.jumps: tuple[tuple[sympy.Expr, SiteOperator], ...] = self._parse_jumps(jumps)
        self.coupling: sympy.Expr = (
            KC if coupling is None else _positive_parameter(coupling, "coupling (K_c)")
        )
        self.hbar: sympy.Expr = _positive_parameter(hbar, "hbar")
        object.__setattr__(self, "_memo", Memo())
        object.__setattr__(self, "_frozen", True)

    # ------------------------------------------------------------------ immutability
    def __setattr__(self, name: str, value) -> None:
        if self.__dict__.get("_frozen", False):
            raise ReadOnlyError(
                f"QuantumNetwork is immutable: cannot set attribute {name!r}; build a new "
                "network instead (net.with_coupling(...), net.subs({...}), QuantumNetwork(...))"
            )
        object.__setattr__(self, name, value)

    def __delattr__(self, name: str) -> None:
        raise ReadOnlyError(f"QuantumNetwork is immutable: cannot delete attribute {name!r}")

    def _value_key(self) -> tuple:
        def terms(op: SiteOperator) -> tuple:
            return tuple(sorted(op.terms.items(), key=lambda kv: kv[0]))

        return self._memo.get(
            "value key",
            lambda: (
                self.n,
                self.graph.weights,
                terms(self.hamiltonian),
                tuple((g, terms(l_op)) for g, l_op in self.jumps),
                self.coupling,
                self.hbar,
            ),
        )

    def __eq__(self, other) -> bool:
        if self is other:
            return True
        if not isinstance(other, QuantumNetwork):
            return NotImplemented
        return self._value_key() == other._value_key()

    def __hash__(self) -> int:
        return self._memo.get("hash", lambda: hash(self._value_key()))

    def __getstate__(self) -> dict:
        """The model only: the memo of derived values is not pickled."""
        return {k: v for k, v in self.__dict__.items() if k not in ("_memo", "_frozen")}

    def __setstate__(self, state: dict) -> None:
        for k, v in state.items():
            object.__setattr__(self, k, v)
        object.__setattr__(self, "_memo", Memo())
        object.__setattr__(self, "_frozen", True)

    def __copy__(self) -> QuantumNetwork:
        return self  # immutable

    def __deepcopy__(self, memo: dict) -> QuantumNetwork:
        return self  # immutable

    def cache_info(self) -> dict[str, dict[str, int]]:
        """What the network's memo holds: ``{name: {"items": count, "bytes": size}}`` for
        the plain derived values (``"entries"``) and each bounded section (e.g.
        ``"dense propagators"``)."""
        return self._memo.info()

    def clear_cache(self, section: str | None = None) -> None:
        """Forget derived values: one bounded section (e.g. ``"dense propagators"``, as
        :func:`blendsym.evolve.clear_propagator_cache` does) or, with ``None``, everything.
        Never needed for correctness (the network cannot change); only to free memory or
        to time a computation from scratch."""
        if section is not None and not isinstance(section, str):
            raise InvalidArgumentError(
                f"section must be a string or None: found {type(section).__name__}"
            )
        self._memo.clear(section)

    # ------------------------------------------------------------------ parsing
    def _parse_hamiltonian(self, h) -> SiteOperator:
        op = as_site_operator(h, self.n, "hamiltonian")
        for c in op.terms.values():
            check_magnitudes(c, "hamiltonian coefficient", error=InvalidOperatorError)
        op = _hermitian_part_of_float(op)
        herm = op.is_hermitian()
        if herm is False:
            anti = SiteOperator({k: sympy.I * sympy.im(c) for k, c in op.terms.items()})
            try:
                if self.n > 10:  # no 2^n matrix: the Pauli coefficients bound the defect
                    bound = 2 * sum(abs(complex(c)) for c in anti.terms.values())
                    detail = f"||H - H^dagger|| <= 2 sum_P |Im c_P| = {bound:.3g}"
                else:
                    worst = 2 * np.abs(anti.to_numpy(self.n)).max()
                    detail = f"max |H - H^dagger| = {worst:.3g}"
            except (InvalidOperatorError, SizeLimitError, TypeError):
                detail = f"non-real Pauli coefficients {[c for c in anti.terms.values()]}"
            raise InvalidOperatorError(f"hamiltonian is not Hermitian: {detail}")
        if herm is None:
            raise InvalidOperatorError(
                "hamiltonian: cannot decide that it is Hermitian; declare its symbols real "
                f"(e.g. sympy.Symbol('w', real=True)): coefficients {list(op.terms.values())}"
            )
        return op

    def _parse_jumps(self, jumps) -> tuple[tuple[sympy.Expr, SiteOperator], ...]:
        if jumps is None:
            return ()
        if isinstance(jumps, (SiteOperator, np.ndarray, sympy.MatrixBase)) or sp.issparse(jumps):
            raise InvalidModelError(
                "jumps must be a list [L, ...] or [(gamma, L), ...]: found a single "
                f"{type(jumps).__name__}; wrap it in a list"
            )
        try:
            items = list(jumps)
        except TypeError as exc:
            raise InvalidModelError(
                f"jumps must be a list [L, ...] or [(gamma, L), ...]: found {type(jumps).__name__}"
            ) from exc
        out = []
        for i, item in enumerate(items):
            if (
                isinstance(item, tuple)
                and len(item) == 2
                and not isinstance(item[0], (SiteOperator, np.ndarray, sympy.MatrixBase, list))
            ):
                gamma, op = item
                gamma = _positive_parameter(gamma, f"jumps[{i}] rate gamma")
            else:
                gamma, op = sympy.Integer(1), item
            l_op = as_site_operator(op, self.n, f"jumps[{i}]")
            for c in l_op.terms.values():
                check_magnitudes(c, f"jumps[{i}] coefficient", error=InvalidOperatorError)
            if l_op.is_zero():
                continue
            out.append((gamma, l_op))
        return tuple(out)

    # ------------------------------------------------------------------ basic data
    @property
    def dim(self) -> int:
        """Hilbert-space dimension :math:`2^n`."""
        return 2**self.n

    @property
    def free_symbols(self) -> set[sympy.Symbol]:
        syms = set(self.hamiltonian.free_symbols)
        for g, l_op in self.jumps:
            syms |= g.free_symbols | l_op.free_symbols
        syms |= self.coupling.free_symbols | self.hbar.free_symbols
        return syms

    @property
    def parameters(self) -> set[sympy.Symbol]:
        """Free symbols other than the coupling gain."""
        return self.free_symbols - self.coupling.free_symbols

    @property
    def is_exact(self) -> bool:
        """True when no coefficient is a floating-point number."""
        exprs = [c for c in self.hamiltonian.terms.values()]
        for g, l_op in self.jumps:
            exprs.append(g)
            exprs.extend(l_op.terms.values())
        exprs.extend([self.coupling, self.hbar, *self.graph.weights])
        return not any(e.has(sympy.Float) for e in exprs)

    def _replace(self, **changes) -> QuantumNetwork:
        kwargs = dict(
            n=self.n,
            weights=self.graph,
            hamiltonian=self.hamiltonian,
            jumps=list(self.jumps),
            coupling=self.coupling,
            hbar=self.hbar,
        )
        kwargs.update(changes)
        return QuantumNetwork(**kwargs)

    def with_coupling(self, kc) -> QuantumNetwork:
        """The same network with :math:`K_c` replaced by ``kc``."""
        return self._replace(coupling=kc)

    def subs(self, mapping: dict) -> QuantumNetwork:
        """Substitute values for parameters (rates, Hamiltonian symbols, ``K_c``, ``hbar``).

        ``mapping`` is a dict ``{symbol: value}``: keys SymPy symbols (or the name of one of
        :attr:`free_symbols`), values numbers or SymPy expressions.  Strings are refused,
        never parsed (``sympify`` of a string runs code); the result is validated as a new
        network, so a value that makes a rate non-positive is reported by name.
        """
        if not isinstance(mapping, dict):
            raise InvalidArgumentError(f"mapping must be a dict: found {type(mapping).__name__}")
        mapping = check_substitution(mapping, self.free_symbols, "mapping")
        return self._replace(
            hamiltonian=self.hamiltonian._substituted(mapping, False, "hamiltonian"),
            jumps=[
                (g.subs(mapping), l_op._substituted(mapping, False, f"jumps[{i}]"))
                for i, (g, l_op) in enumerate(self.jumps)
            ],
            coupling=self.coupling.subs(mapping),
            hbar=self.hbar.subs(mapping),
        )

    def exact(self) -> QuantumNetwork:
        r"""The same network with every float replaced by the decimal it prints as.

        The float policy of :mod:`blendsym.model.rationalize` (the one every exact analysis
        applies): each floating-point coefficient, rate, weight, :math:`K_c` and
        :math:`\hbar` becomes the exact rational of its shortest round-trip decimal
        (``0.05 -> 1/20``); nothing is guessed (a float is never read as a radical).  An
        exact network is returned as it is.  What was replaced:
        :meth:`float_replacements`.
        """
        return self._rationalized()[0]

    def float_replacements(self) -> tuple:
        """The floats of the model and the rationals :meth:`exact` reads them as (a tuple of
        :class:`~blendsym.model.rationalize.FloatReplacement`, empty for an exact model)."""
        return self._rationalized()[1]

    def _rationalized(self) -> tuple:
        return self._memo.get("rationalized", self._build_rationalized)

    def _build_rationalized(self) -> tuple:
        from .rationalize import rationalize_expr, replacements

        if self.is_exact:
            return self, ()
        seen: dict = {}

        def rat(x):
            return rationalize_expr(x, seen)

        def rat_op(op: SiteOperator) -> SiteOperator:
            return SiteOperator({k: rat(c) for k, c in op.terms.items()})

        net = QuantumNetwork(
            self.n,
            self.graph.weights.applyfunc(rat),
            rat_op(self.hamiltonian),
            [(rat(g), rat_op(l_op)) for g, l_op in self.jumps],
            coupling=rat(self.coupling),
            hbar=rat(self.hbar),
        )
        return net, replacements(seen)

    def subnetwork(self, sites) -> QuantumNetwork:
        r"""The network of the qubits ``sites`` alone, relabelled ``1..k`` in increasing order.

        ``sites`` (1-based) must be closed under the model's couplings: a union of connected
        components of :math:`G`, with every Hamiltonian term and every jump operator acting
        inside it or outside it (terms outside are dropped, as are identity terms, which do
        not act).  Then the generator of eq. (4) is
        :math:`\mathcal L = \mathcal L_S\otimes\mathrm{id} + \mathrm{id}\otimes\mathcal L_{\bar S}`
        and the marginal on ``sites`` evolves autonomously,
        :math:`\mathrm{Tr}_{\bar S}\,e^{\mathcal Lt}\rho = e^{\mathcal L_St}\,\mathrm{Tr}_{\bar S}\rho`
        (:math:`\mathcal L_{\bar S}` is trace preserving), by the subnetwork's eq. (4).
        """
        from .._validate import check_site

        if isinstance(sites, (str, bytes)) or not hasattr(sites, "__iter__"):
            raise InvalidArgumentError(
                f"sites must be a collection of 1-based sites: found {type(sites).__name__}"
            )
        chosen = sorted({check_site(s, self.n, "sites") for s in sites})
        if not chosen:
            raise InvalidArgumentError("sites must not be empty")
        inside = set(chosen)
        relabel = {s: i + 1 for i, s in enumerate(chosen)}
        for j, k, _ in self.graph.edges:
            if (j in inside) != (k in inside):
                raise InvalidArgumentError(
                    f"sites {chosen} are not a union of connected components of G: the edge "
                    f"{{{j}, {k}}} leaves them"
                )

        def restrict(op: SiteOperator, what: str) -> SiteOperator | None:
            terms = {}
            for key, c in op.terms.items():
                where = {s for s, _ in key}
                if not where:
                    continue  # the identity part: added back to a kept jump below
                if where <= inside:
                    terms[tuple((relabel[s], p) for s, p in key)] = c
                elif where & inside:
                    raise InvalidArgumentError(
                        f"sites {chosen}: {what} has a term on qubits {sorted(where)} that "
                        "couples them with other qubits"
                    )
            return SiteOperator(terms) if terms else None

        h = restrict(self.hamiltonian, "the hamiltonian") or SiteOperator()
        jumps = []
        for i, (g, l_op) in enumerate(self.jumps):
            part = restrict(l_op, f"jumps[{i}]")
            if part is not None:
                if len(part.terms) != len([k for k in l_op.terms if k]):
                    raise InvalidArgumentError(
                        f"sites {chosen}: jumps[{i}] acts inside and outside them"
                    )
                # D(c I + A) = D(A) + [(conj(c) A - c A^dagger)/2, .]: keep the identity part
                ident = l_op.terms.get((), 0)
                jumps.append((g, part + SiteOperator({(): ident}) if ident != 0 else part))
        w = self.graph.weights.extract([s - 1 for s in chosen], [s - 1 for s in chosen])
        return QuantumNetwork(
            len(chosen),
            w if len(chosen) > 1 else [],
            h,
            jumps,
            coupling=self.coupling,
            hbar=self.hbar,
        )

    # ------------------------------------------------------------------ operators
    def hamiltonian_matrix(self, backend: str = "sympy"):
        """:math:`H` as a :math:`2^n\\times 2^n` matrix (exact ``SparseMatrix`` or CSR)."""
        return self.hamiltonian.to_matrix(self.n, backend)

    def jump_matrices(self, backend: str = "sympy") -> list:
        """``[(gamma_l, L_l), ...]`` with the operators as matrices."""
        return [(g, l_op.to_matrix(self.n, backend)) for g, l_op in self.jumps]

    def swap_operator(self, j: int, k: int, backend: Backend = "sympy"):
        """:math:`U_{jk}`, exchanging the tensor factors ``j`` and ``k`` (1-based)."""
        return swap_unitary(j, k, self.n, backend)

    def permutation_operator(self, pi, backend: Backend = "sympy"):
        r""":math:`U_\pi|q_1\dots q_n\rangle = |q_{\pi(1)}\dots q_{\pi(n)}\rangle`."""
        return permutation_unitary(pi, self.n, backend)

    # ------------------------------------------------------------------ superoperators
    def _numeric(self, expr: sympy.Expr, name: str) -> complex:
        if expr.free_symbols:
            raise InvalidModelError(
                f"{name} = {expr} has free symbols {sorted(map(str, expr.free_symbols))}; "
                "substitute values with net.subs({...}) before using backend='scipy'"
            )
        try:
            z = complex(expr)
        except (OverflowError, TypeError, ValueError):
            z = complex("nan")
        if not cmath.isfinite(z) or (z == 0 and expr != 0):
            raise InvalidModelError(
                f"{name} = {expr} is not a finite non-zero number in double precision: found {z}"
            )
        return z

    def _check_backend(self, backend) -> None:
        check_choice(backend, "backend", ("sympy", "scipy"))
        if backend == "sympy":
            check_qubits(self.n, "n", limit="EXACT_SUPEROPERATOR_QUBITS")

    def local_liouvillian(self, backend: str = "sympy"):
        r""":math:`A_d`: the Hamiltonian and dissipative part of eq. (4), row stacking."""
        self._check_backend(backend)
        if backend == "sympy":
            return self._local_exact
        if backend == "scipy":
            return self._local_numeric
        raise InvalidArgumentError(f"backend must be 'sympy' or 'scipy': found {backend!r}")

    @property
    def _local_exact(self) -> sympy.SparseMatrix:
        return self._memo.get("local exact", self._build_local_exact)

    def _build_local_exact(self) -> sympy.SparseMatrix:
        d2 = self.dim**2
        out = sympy.SparseMatrix(d2, d2, {})
        if not self.hamiltonian.is_zero():
            out += hamiltonian_superop(self.hamiltonian_matrix("sympy"), self.hbar, "sympy")
        for g, l_m in self.jump_matrices("sympy"):
            out += g * dissipator_superop(l_m, "sympy")
        return out.applyfunc(sympy.expand)

    @property
    def _local_numeric(self) -> sp.csr_matrix:
        return self._memo.get("local numeric", lambda: _read_only(self._build_local_numeric()))

    def _build_local_numeric(self) -> sp.csr_matrix:
        d2 = self.dim**2
        out = sp.csr_matrix((d2, d2), dtype=complex)
        if not self.hamiltonian.is_zero():
            hbar = self._numeric(self.hbar, "hbar")
            out = out + hamiltonian_superop(self.hamiltonian_matrix("scipy"), hbar, "scipy")
        for i, (g, l_m) in enumerate(self.jump_matrices("scipy")):
            out = out + self._numeric(g, f"jumps[{i}] rate") * dissipator_superop(l_m, "scipy")
        out = out.tocsr()
        out.eliminate_zeros()
        return out

    def _superop_swap_index(self, j: int, k: int) -> np.ndarray:
        s = swap_permutation(j, k, self.n)
        d = self.dim
        return (s[:, None] * d + s[None, :]).ravel()

    def swap_liouvillian(self, backend: str = "sympy"):
        r"""The SWAP part without the gain: :math:`\sum a_{jk}\mathcal D(U_{jk}) = -Q_d`."""
        self._check_backend(backend)
        if backend == "sympy":
            return self._swap_exact
        if backend == "scipy":
            return self._swap_numeric
        raise InvalidArgumentError(f"backend must be 'sympy' or 'scipy': found {backend!r}")

    @property
    def _swap_exact(self) -> sympy.SparseMatrix:
        return self._memo.get("swap exact", self._build_swap_exact)

    def _build_swap_exact(self) -> sympy.SparseMatrix:
        d2 = self.dim**2
        entries: dict[tuple[int, int], sympy.Expr] = {}
        for j, k, a in self.graph.edges:
            f = self._superop_swap_index(j, k)
            for col in range(d2):
                row = int(f[col])
                if row != col:
                    entries[(row, col)] = entries.get((row, col), 0) + a
                    entries[(col, col)] = entries.get((col, col), 0) - a
        return sympy.SparseMatrix(d2, d2, {k: v for k, v in entries.items() if v != 0})

    @property
    def _swap_numeric(self) -> sp.csr_matrix:
        return self._memo.get("swap numeric", lambda: _read_only(self._build_swap_numeric()))

    def _build_swap_numeric(self) -> sp.csr_matrix:
        d2 = self.dim**2
        rows, cols, vals = [], [], []
        diag = np.zeros(d2)
        idx = np.arange(d2)
        for j, k, a in self.graph.edges:
            a = float(a)
            f = self._superop_swap_index(j, k)
            moved = f != idx
            rows.append(f[moved])
            cols.append(idx[moved])
            vals.append(np.full(moved.sum(), a))
            diag[moved] -= a
        rows.append(idx)
        cols.append(idx)
        vals.append(diag)
        m = sp.coo_matrix(
            (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(d2, d2)
        ).tocsr()
        m.eliminate_zeros()
        return m.astype(complex)

    def compile(self):
        r"""The network compiled once for many parameter values: a
        :class:`~blendsym.numeric.compiled.CompiledNetwork` (``cn.liouvillian(**values)``,
        ``bs.simulate(cn, rho0, times, **values)``), memoised on the network."""
        from ..numeric.compiled import CompiledNetwork

        return self._memo.get("compiled", lambda: CompiledNetwork(self))

    def liouvillian(self, kc=None, backend: str = "sympy"):
        r"""The superoperator of eq. (4) in row stacking: :math:`A_d + K_c\sum a_{jk}\mathcal D(U_{jk})`.

        ``kc`` overrides the network's coupling (a number, or a symbol for ``"sympy"``).
        ``backend="sympy"`` gives an exact ``SparseMatrix`` (for ``n <=``
        :data:`~blendsym.limits.EXACT_SUPEROPERATOR_QUBITS`; about 3 s at ``n = 5``);
        ``"scipy"`` a CSR matrix (needs numeric values).
        """
        self._check_backend(backend)
        gain = self.coupling if kc is None else _positive_parameter(kc, "kc")
        if backend == "sympy":
            return self._local_exact + gain * self._swap_exact
        if backend == "scipy":
            g = self._numeric(gain, "kc" if kc is not None else "coupling (K_c)").real
            return (self._local_numeric + g * self._swap_numeric).tocsr()
        raise InvalidArgumentError(f"backend must be 'sympy' or 'scipy': found {backend!r}")

    def _repr_latex_(self) -> str:
        from ..io.latex import network_equation_latex
        from ..io.notebook import display_math

        return display_math(network_equation_latex(self))

    def _repr_html_(self) -> str:
        from ..io.notebook import network_html

        return network_html(self)

    def to_qutip(self, kc=None):
        r"""``(H, c_ops)`` for ``qutip.mesolve``: :math:`H/\hbar`, :math:`\sqrt{\gamma_l}L_l`
        and :math:`\sqrt{K_ca_{jk}}\,U_{jk}` (:func:`blendsym.io.qutip.network_to_qutip`)."""
        from ..io.qutip import network_to_qutip

        return network_to_qutip(self, kc)

    def __repr__(self) -> str:
        jumps = ", ".join(f"({g}, {l_op})" for g, l_op in self.jumps)
        return (
            f"QuantumNetwork(n={self.n}, edges={[(j, k, a) for j, k, a in self.graph.edges]}, "
            f"hamiltonian={self.hamiltonian}, jumps=[{jumps}], coupling={self.coupling}, "
            f"hbar={self.hbar})"
        )
