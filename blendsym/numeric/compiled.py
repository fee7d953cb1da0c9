r"""A parametric network compiled once: the Liouvillian of eq. (4) as fixed sparse matrices
times NumPy functions of the model's symbols.

:meth:`QuantumNetwork.compile` returns a :class:`CompiledNetwork`.  The Liouvillian of
eq. (4) is linear in the Hamiltonian coefficients, linear in the rates and :math:`K_c`, and
quadratic in the jump coefficients: with :math:`H = \sum_P h_P P` and
:math:`L_l = \sum_P c_{l,P} P` over Pauli strings :math:`P`,

.. math::

    \mathcal L = \sum_P \frac{h_P}{\hbar}\,\mathcal H_P
      + \sum_{P,Q}\Big(\sum_l\gamma_l\,c_{l,P}\,\overline{c_{l,Q}}\Big)\mathcal D_{P,Q}
      + K_c\sum_{\{j,k\}}a_{jk}\mathcal D(U_{jk}),

    \mathcal H_P = -i\,(P\otimes I - I\otimes P^\top),\qquad
    \mathcal D_{P,Q} = P\otimes\bar Q - \tfrac12\,Q^\dagger P\otimes I
      - \tfrac12\,I\otimes(Q^\dagger P)^\top

(row stacking, :math:`\mathrm{vec}(AXB) = (A\otimes B^\top)\mathrm{vec}X`).  The fixed
matrices are built once; the coefficients are one :func:`sympy.lambdify` of the model's
free symbols.  :meth:`CompiledNetwork.liouvillian` ``(**values)`` then costs one call of
the compiled coefficients and one weighted sum on a fixed sparsity pattern, instead of a
symbolic substitution and a rebuild of the network (``net.subs(...).liouvillian(backend=
"scipy")``, which it equals to round-off; ``tests/test_compiled.py``).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
import sympy

from .._validate import check_qubits
from ..errors import InvalidArgumentError
from ..model.conventions import hamiltonian_superop
from ..model.network import QuantumNetwork
from ..model.operators import SiteOperator
from .lambdified import ParametricFunction, symbol_table

__all__ = ["CompiledNetwork", "compile_network"]


def _pauli(key, n: int) -> sp.csr_matrix:
    return SiteOperator({key: 1}).to_matrix(n, "scipy").tocsr()


def _pair_dissipator(p: sp.csr_matrix, q: sp.csr_matrix) -> sp.csr_matrix:
    r""":math:`\mathcal D_{P,Q} = P\otimes\bar Q - \frac12 Q^\dagger P\otimes I - \frac12
    I\otimes(Q^\dagger P)^\top` (so that :math:`\mathcal D(\sum_P c_PP) = \sum_{P,Q}
    c_P\bar c_Q\mathcal D_{P,Q}`)."""
    d = p.shape[0]
    eye = sp.identity(d, dtype=complex, format="csr")
    qp = (q.conj().T @ p).tocsr()
    out = sp.kron(p, q.conj()) - 0.5 * sp.kron(qp, eye) - 0.5 * sp.kron(eye, qp.T)
    return out.tocsr()


class CompiledNetwork:
    r"""The Liouvillian of eq. (4) of a parametric network, compiled (module docstring).

    Attributes
    ----------
    network: the :class:`~blendsym.QuantumNetwork`.
    parameters: the names of its free symbols (keyword arguments of :meth:`liouvillian`).
    n_terms: the number of fixed sparse matrices.

    The coupling gain is given by its symbol's name (``K_c=40``) or, as for
    ``net.liouvillian``, as ``kc=40``.
    """

    def __init__(self, net: QuantumNetwork):
        if not isinstance(net, QuantumNetwork):
            raise InvalidArgumentError(f"net must be a QuantumNetwork: found {type(net).__name__}")
        self.network = net
        self._build()

    def _build(self) -> None:
        net = self.network
        n = net.n
        self._symbols = symbol_table(net.free_symbols, "the network")
        coefs: list[sympy.Expr] = []
        mats: list[sp.csr_matrix] = []
        cache: dict = {}

        def pauli(key):
            if key not in cache:
                cache[key] = _pauli(key, n)
            return cache[key]

        for key, h in net.hamiltonian.terms.items():
            if key == ():  # the identity commutes with everything
                continue
            coefs.append(h / net.hbar)
            mats.append(hamiltonian_superop(pauli(key), 1, "scipy").tocsr())
        pairs: dict[tuple, sympy.Expr] = {}
        for g, l_op in net.jumps:
            terms = l_op.terms
            for kp, cp in terms.items():
                for kq, cq in terms.items():
                    pairs[(kp, kq)] = pairs.get((kp, kq), 0) + g * cp * sympy.conjugate(cq)
        for (kp, kq), c in pairs.items():
            if kp == () and kq == ():
                continue  # D(I) = 0
            coefs.append(c)
            mats.append(_pair_dissipator(pauli(kp), pauli(kq)))
        n_local = len(mats)
        if net.graph.edges:
            coefs.append(net.coupling)
            mats.append(net.swap_liouvillian("scipy").tocsr())
        self.n_terms = len(mats)
        d2 = net.dim**2
        self._shape = (d2, d2)
        rows, cols, vals, which = [], [], [], []
        for k, m in enumerate(mats):
            c = m.tocoo()
            rows.append(c.row)
            cols.append(c.col)
            vals.append(c.data.astype(complex))
            which.append(np.full(c.nnz, k))
        if mats:
            r = np.concatenate(rows).astype(np.int64)
            c = np.concatenate(cols).astype(np.int64)
            self._vals = np.concatenate(vals)
            self._which = np.concatenate(which)
        else:
            r = c = np.zeros(0, dtype=np.int64)
            self._vals = np.zeros(0, dtype=complex)
            self._which = np.zeros(0, dtype=np.int64)
        flat = r * d2 + c
        keys, self._slot = np.unique(flat, return_inverse=True)
        self._nnz = len(keys)
        kr, kc = np.divmod(keys, d2)
        # CSR structure of the union pattern (keys are sorted row-major)
        self._indices = kc.astype(np.int32)
        self._indptr = np.searchsorted(kr, np.arange(d2 + 1)).astype(np.int32)
        self._coefficients = ParametricFunction(
            coefs or [sympy.Integer(0)], self._symbols, "liouvillian coefficients"
        )
        self._gain_name = next(iter(s.name for s in net.coupling.free_symbols), None)
        # A_d (no coupling term): coefficients that do not need K_c, and the map from them
        # to the entries of the dense d^2 x d^2 matrix (duplicates summed by CSR)
        self._local_coefficients = ParametricFunction(
            coefs[:n_local] or [sympy.Integer(0)], self._symbols, "local Liouvillian coefficients"
        )
        local = self._which < n_local
        self._local_map = sp.csr_matrix(
            (self._vals[local], (self._which[local], flat[local])),
            shape=(max(n_local, 1), d2 * d2),
        )

    # ------------------------------------------------------------------ data
    @property
    def parameters(self) -> tuple[str, ...]:
        return tuple(sorted(self._symbols))

    @property
    def local_parameters(self) -> tuple[str, ...]:
        """The names :meth:`local_liouvillian_dense` needs (the gain is not among them)."""
        return self._local_coefficients.parameters

    @property
    def n(self) -> int:
        return self.network.n

    def __repr__(self) -> str:
        return (
            f"CompiledNetwork(n={self.n}, parameters={list(self.parameters)}, terms={self.n_terms})"
        )

    def __getstate__(self) -> dict:
        return {"net": self.network}

    def __setstate__(self, state: dict) -> None:
        self.network = state["net"]
        self._build()

    # ------------------------------------------------------------------ evaluation
    def _values(self, values: dict) -> dict:
        values = dict(values)
        if "kc" in values:
            kc = values.pop("kc")
            if kc is not None:
                if self._gain_name is None:
                    raise InvalidArgumentError(
                        f"kc: the network's coupling is the number {self.network.coupling}, "
                        "not a symbol; build the network with a symbolic coupling to vary it"
                    )
                if self._gain_name in values:
                    raise InvalidArgumentError(
                        f"kc and {self._gain_name} both given: they name the same gain"
                    )
                values[self._gain_name] = kc
        return values

    def coefficients(self, **values) -> np.ndarray:
        """The coefficients of the fixed matrices at ``values`` (shape ``(..., n_terms)``,
        the values broadcast)."""
        return self._coefficients(**self._values(values))

    def local_liouvillian_dense(self, **values) -> np.ndarray:
        r""":math:`A_d` (eq. (14): the Hamiltonian and dissipative part of eq. (4), without the
        coupling) at every parameter point, dense, shape ``(..., 4^n, 4^n)`` (row stacking, as
        ``net.local_liouvillian()``); the values broadcast, :math:`K_c` is not needed.
        At most ``blendsym.limits.PARAMETRIC_DENSE_QUBITS`` qubits."""
        check_qubits(self.n, "n (dense A_d per parameter point)", limit="PARAMETRIC_DENSE_QUBITS")
        c = self._local_coefficients(**self._values(values))
        shape = c.shape[:-1]
        flat = c.reshape(-1, c.shape[-1])
        dense = (self._local_map.T @ flat.T).T  # (points, d^2 * d^2)
        return np.asarray(dense).reshape(shape + self._shape)

    def liouvillian(self, **values) -> sp.csr_matrix:
        r"""The Liouvillian of eq. (4) at ``values`` (SciPy CSR, row stacking, as
        ``net.liouvillian(kc, backend="scipy")``); every free symbol by name (``K_c`` also
        as ``kc``), scalars."""
        c = self.coefficients(**values)
        if c.ndim != 1:
            raise InvalidArgumentError(
                "liouvillian takes one value per parameter: found arrays of shape "
                f"{c.shape[:-1]} (use coefficients(...) for many points)"
            )
        w = c[self._which] * self._vals
        data = np.bincount(self._slot, weights=w.real, minlength=self._nnz) + 1j * np.bincount(
            self._slot, weights=w.imag, minlength=self._nnz
        )
        return sp.csr_matrix((data, self._indices, self._indptr), shape=self._shape)


def compile_network(net: QuantumNetwork) -> CompiledNetwork:
    """:class:`CompiledNetwork` of ``net`` (also ``net.compile()``, memoised on the network)."""
    return CompiledNetwork(net)


_COMPILED_METHODS = ("auto", "dense", "krylov", "expm_multiply")


def simulate_compiled(
    cn: CompiledNetwork,
    rho0,
    times,
    *,
    method: str = "auto",
    observe="states",
    tol: float | None = None,
    krylov_dim: int | None = None,
    values: dict,
):
    r""":func:`blendsym.simulate` for a :class:`CompiledNetwork`: eq. (4) at ``values``
    (every free symbol by name; ``K_c`` also as ``kc``), propagated from ``rho0`` with the
    generic propagators of the method registry (``"dense"`` up to
    :data:`~blendsym.numeric.propagator.DENSE_MAX_DIM`, else ``"krylov"``)."""
    from ..model.states import validate_density
    from .evolve import DEFAULT_TOL, Trajectory, _check_krylov_dim, _check_tol, check_times
    from .limits import check_norm_time
    from .observe import Observer
    from .propagator import DENSE_MAX_DIM, PROPAGATION_METHODS, _MatrixOperator

    if method not in _COMPILED_METHODS:
        raise InvalidArgumentError(
            f"method must be one of {', '.join(_COMPILED_METHODS)} for a CompiledNetwork: "
            f"found {method!r}"
        )
    t = check_times(times)
    tol = _check_tol(DEFAULT_TOL if tol is None else tol)
    krylov_dim = _check_krylov_dim(krylov_dim)
    gen = cn.liouvillian(**values)
    size = gen.shape[0]
    observer = Observer(observe, cn.n, t)
    rho = validate_density(rho0, name="rho0", n=cn.n)
    if isinstance(rho, sympy.MatrixBase):
        rho = np.array(rho.evalf().tolist(), dtype=complex)
    chosen = ("dense" if size <= DENSE_MAX_DIM else "krylov") if method == "auto" else method
    # the dense propagator on real coordinates (as simulate's "dense"): a real d^2 x d^2
    # exponential instead of a complex one
    real = chosen == "dense"
    if real:
        from .matrixfree import real_liouvillian, to_real_coordinates

        op = _RealMatrixOperator(real_liouvillian(gen, 2**cn.n))
        y0 = to_real_coordinates(np.asarray(rho, dtype=complex)).ravel()
    else:
        op = _MatrixOperator(gen)
        y0 = np.asarray(rho, dtype=complex).ravel()
    check_norm_time(op.norm(), float(t[-1]), [])
    entry = PROPAGATION_METHODS[chosen]
    settings = entry.settings(cn.n, tol, krylov_dim)
    observer.start()

    def sink(i, vec):
        observer.record(i, vec, real)

    from .krylov import blas_threads

    with blas_threads(1):  # as simulate's default blas_threads_limit
        info = entry.kernel(op, y0, t, sink, **settings)
    info["method"] = chosen
    info["tol_met"] = bool(info.get("error_estimate", 0.0) <= tol)
    return Trajectory(t, n=cn.n, method=chosen, info=info, **observer.fields())


def _real_operator_class():
    from .propagator import _MatrixOperator

    class RealMatrixOperator(_MatrixOperator):
        """A real generator (real coordinates of a Hermiticity-preserving superoperator)."""

        def __init__(self, generator):
            super().__init__(generator)
            self.dtype = np.dtype(float)

        def dense(self) -> np.ndarray:
            if self._dense is None:  # type: ignore[has-type]
                g = self.generator
                self._dense = (g.toarray() if sp.issparse(g) else np.asarray(g)).astype(float)
            return self._dense

    return RealMatrixOperator


def _RealMatrixOperator(generator):
    return _real_operator_class()(generator)
