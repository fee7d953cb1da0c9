r"""Definition 2: the blended coherent dynamics (eq. (17)) of Section 5.2.

The network (4) in row stacking is :math:`\dot{\tilde{\mathbf y}} = (A_d - K_cQ_d)\tilde{\mathbf y}`
(eq. (14) with its sign corrected, see :mod:`blendsym.network`), :math:`Q_d` the Laplacian of
the induced graph :math:`G_d` (:mod:`blendsym.induced`).  Once every component
:math:`\mathbb V_m` of :math:`G_d` is in consensus, :math:`\tilde{\mathbf y} = P_d\mathbf y_d`
(eq. (15)), and projecting (14) onto :math:`\ker Q_d` gives Definition 2:

.. math::  \dot{\mathbf y}_d = B\,\mathbf y_d,\qquad B := \mathrm{Proj}^\perp_{Q_d}(A_d)
           = P_d^\top A_d P_d\in\mathbb C^{p\times p},\qquad
           \mathbf y_d(0) = P_d^\top\mathrm{vec}(\rho(0)),                       \tag{17}

with :math:`P_d` the *orthonormal* kernel basis :math:`[\mathbf p_m]_v = |\mathbb V_m|^{-1/2}`
on :math:`\mathbb V_m` (the paper prints :math:`1/|\mathbb V_m|`, which is not orthonormal;
see :func:`blendsym.induced.printed_p_m`).  The lifted state of Theorem 3 is
:math:`\mathrm{vec}^{-1}(\tilde{\mathbf y}_d)`, :math:`\tilde{\mathbf y}_d = P_d\mathbf y_d`.

Computing :math:`B` without :math:`4^n`-size products
------------------------------------------------------
:math:`P_d` has one non-zero per row, so

.. math::  B_{mk} = \frac{1}{\sqrt{|\mathbb V_m||\mathbb V_k|}}
           \sum_{u\in\mathbb V_m}\sum_{v\in\mathbb V_k}[A_d]_{uv},

a single pass over the non-zeros of the sparse :math:`A_d` (exact SymPy or SciPy).  In the
consensus values :math:`y_m` of the paper (:math:`\tilde{\mathbf y}_v = y_m` on
:math:`\mathbb V_m`, :math:`[\mathbf y_d]_m = \sqrt{|\mathbb V_m|}\,y_m`) the same dynamics
has the similar generator :math:`D^{-1/2}BD^{1/2} = D^{-1}E^\top A_dE`
(:math:`E` the 0/1 component indicator, :math:`D = \mathrm{diag}|\mathbb V_m|`), whose
entries are block *averages* of :math:`A_d` and avoid the radicals
:math:`\sqrt{|\mathbb V_m|}` (:meth:`BlendedCoherent.consensus_generator`).

Two routes to the same matrices
-------------------------------
``basis="full"`` sums the entries of the :math:`4^n\times4^n` :math:`A_d` over the components of
the :class:`~blendsym.induced.InducedGraph` (any graph; :math:`n\lesssim8`).  ``basis="pi"``
(any :math:`n`) assembles :math:`C` and :math:`B` directly from the model's terms by the
block-average formula (PI.3) of :mod:`blendsym.section5.pi_generator`, in the PI coordinates
of :mod:`blendsym.section5.pi_basis`, whose order *is* that of the induced graph's
components: both routes give equal matrices (exactly for exact models).  On a disconnected
graph the coordinates are the orbits of :math:`S_{C_1}\times\cdots\times S_{C_r}`, tuples of
per-component type counts (:mod:`blendsym.section5.product_basis`, the generator by (PP.2) of
:mod:`blendsym.section5.product_generator`), in the same order as the induced graph's
components too.  ``basis="auto"`` (the default) takes ``"full"`` for :math:`n\le`
:data:`AUTO_FULL_MAX_QUBITS` and ``"pi"`` otherwise.  States, observables and evolution in the PI coordinates:
:mod:`blendsym.section5.pi_states`, :mod:`blendsym.section5.pi_dynamics`.

Why (17) is a physical (Lindblad) evolution
-------------------------------------------
For a connected :math:`G`, :math:`P_dP_d^\top = \mathcal P_*` (eq. (13)), the permutation
invariant (PI) projection :math:`\mathcal P_*(X) = \frac1{n!}\sum_\pi U_\pi XU_\pi^\dagger`.
Let :math:`A^\pi(X) := U_\pi A_d(U_\pi^\dagger XU_\pi)U_\pi^\dagger` — the Lindblad generator
with :math:`H\to U_\pi HU_\pi^\dagger`, :math:`L_l\to U_\pi L_lU_\pi^\dagger` — and

.. math::  \bar A := \frac1{n!}\sum_\pi A^\pi
           = -\tfrac i\hbar[\bar H,\cdot\,] + \sum_{l,\pi}\frac{\gamma_l}{n!}\,
             \mathcal D(U_\pi L_lU_\pi^\dagger),\qquad
           \bar H = \frac1{n!}\sum_\pi U_\pi HU_\pi^\dagger ,

a Lindblad generator (:func:`permutation_averaged_network`).  For PI :math:`X`,
:math:`U_\pi^\dagger XU_\pi = X`, hence :math:`A^\pi(X) = U_\pi A_d(X)U_\pi^\dagger` and

.. math::  P_dP_d^\top A_dP_dP_d^\top = \mathcal P_*\circ A_d\circ\mathcal P_*
           = \bar A\circ\mathcal P_* = \mathcal P_*\circ\bar A\circ\mathcal P_* ,

(:math:`\bar A` commutes with every :math:`U_\pi` conjugation, so it maps PI operators to PI
operators and commutes with :math:`\mathcal P_*`).  Multiplying by :math:`P_d^\top` and
:math:`P_d`: :math:`B = P_d^\top\bar AP_d`, and

.. math::  \mathrm{vec}^{-1}\big(P_de^{Bt}\mathbf y_d(0)\big)
           = e^{\bar At}\big(\mathcal P_*(\rho(0))\big).

So the lifted blended coherent trajectory is the Lindblad evolution of :math:`\bar A` started
at :math:`\mathcal P_*(\rho(0))`: it preserves trace, Hermiticity and positivity, stays
permutation invariant, and :math:`B` has its spectrum in :math:`\mathrm{Re}\,\lambda\le 0`
(the claim of Appendix C, there justified only by "as :math:`A_d` does").  The spectrum of
:math:`B` is that of :math:`\bar A` on the PI subspace.

For a disconnected :math:`G` the same holds with :math:`S_n` replaced by
:math:`G_\times = S_{C_1}\times\cdots\times S_{C_r}` (the components of :math:`G`):
:math:`P_dP_d^\top = \mathcal P_\times`, the average over :math:`G_\times`, and :math:`\bar A`
the average of :math:`A^\pi` over :math:`\pi\in G_\times` (``docs/theory.md``, "Section 5 on a
disconnected graph"; Theorems 3–4 hold with these, :mod:`blendsym.bounds.coherent`).

Separable models
----------------
If :math:`A_d = \sum_j\mathcal L_j^{(j)}` (Assumption 1: :math:`H=\sum_jH_j`, single-qubit
jumps), then :math:`\bar A = \sum_s\bar{\mathcal L}^{(s)}` with
:math:`\bar{\mathcal L} = \frac1n\sum_j\mathcal L_j` the blended reduced-state generator of
Definition 1 (eq. (6)).  Consequently every single-qubit marginal of the lifted coherent
trajectory is exactly :math:`e^{\bar{\mathcal L}t}\rho_b(0) = \rho_b(t)`, with
:math:`\rho_b(0) = \frac1n\sum_j\rho_j(0)` — for *any* :math:`\rho(0)` — and a PI product
state :math:`\sigma^{\otimes n}` evolves to :math:`\rho_b(t)^{\otimes n}`
(``tests/test_coherent.py`` checks both).

Example 3 (eq. (18))
--------------------
:math:`p = 20`; :math:`\chi_B = \lambda^2q_3q_{15}` over :math:`\mathbb Q(\sqrt{10})` with
:math:`q_3 = \lambda^3 + \frac9{50}\lambda^2 + \frac{160789}{40000}\lambda + \frac{160637}{800000}
- \frac{\sqrt{10}}{250}`; every Jordan block has size one, the kernel is two-dimensional (the
averaged :math:`\bar H` and the jump are collective, so the :math:`J = 3/2` and :math:`J = 1/2`
sectors are separately stationary) and :math:`\mu_d \approx 0.046879` is the real root of
:math:`q_3`.  So (17) is *not* relaxing although :math:`A_d` itself has a unique steady state:
the network mixes the two sectors at a rate :math:`O(1/K_c)` and the distance of Theorem 3
tends to about 0.23–0.29 as :math:`t\to\infty` for every :math:`K_c` — the finite horizon
:math:`T_2` of Theorem 3 is essential even with :math:`m_d = 0`.
"""

from __future__ import annotations

import math
from functools import cached_property

import numpy as np
import scipy.sparse as sp
import sympy

from .._validate import check_site, check_times
from ..errors import InvalidArgumentError, InvalidStateError, NotComputableError
from ..model.network import QuantumNetwork
from ..model.states import validate_density
from ..model.structured_states import is_structured_state
from ..numeric.evolve import DEFAULT_TOL, propagate
from . import coordinate_states as _pi_states
from .averaging import permutation_averaged_network, pi_projector_superop, relabel_sites
from .block_sums import local_block_sums
from .induced import InducedGraph, induced_graph
from .pi_basis import MAX_LIFT_QUBITS, PIBasis
from .pi_terms import local_model
from .product_basis import ProductPIBasis
from .product_generator import assemble_exact_any, assemble_numeric_any
from .product_terms import product_local_model

__all__ = [
    "AUTO_FULL_MAX_QUBITS",
    "BlendedCoherent",
    "blended_coherent",
    "permutation_averaged_network",
    "pi_projector_superop",
    "relabel_sites",
]


def _algebraic_simplify(x):
    """Canonical form of an algebraic number with radicals: rationalised denominator, expanded
    (much cheaper than ``simplify`` and enough to decide zero for these entries)."""
    return sympy.expand(sympy.radsimp(sympy.expand(x)))


def _as_numeric_matrix(m) -> np.ndarray:
    if isinstance(m, sympy.MatrixBase):
        if m.free_symbols:
            raise NotComputableError(
                f"matrix has free symbols {sorted(map(str, m.free_symbols))}: substitute values "
                "first (net.subs)"
            )
        return np.array(m.evalf().tolist(), dtype=complex)
    return np.asarray(m, dtype=complex)


#: ``basis="auto"`` uses the 4^n route up to this many qubits, the PI route above (both give
#: identical matrices; the PI one never builds 4^n objects).
AUTO_FULL_MAX_QUBITS = 4

#: ``generator_numeric()`` returns a dense array up to this p (n <= 14), CSR above.
DENSE_RESULT_MAX_P = 700

#: Largest p for which the exact generators are assembled in the PI route (n <= 14).
EXACT_PI_MAX_P = 700

_BASES = ("auto", "full", "pi")


def _choose_basis(net: QuantumNetwork, basis: str) -> str:
    if not isinstance(basis, str) or basis not in _BASES:
        raise InvalidArgumentError(f"basis must be 'auto', 'full' or 'pi': found {basis!r}")
    if basis == "auto":
        return "full" if net.n <= AUTO_FULL_MAX_QUBITS else "pi"
    return basis


class BlendedCoherent:
    r"""The blended coherent dynamics of a network (Definition 2, eq. (17)).

    Build it with :func:`blended_coherent`.

    Attributes
    ----------
    network:
        The :class:`~blendsym.QuantumNetwork`.
    basis:
        ``"full"`` (the generator from the :math:`4^n\times4^n` :math:`A_d` and the
        :class:`~blendsym.induced.InducedGraph`) or ``"pi"`` (assembled from the model's
        terms in the PI coordinates, :mod:`blendsym.section5.pi_generator`, or
        :mod:`blendsym.section5.product_generator` on a disconnected graph).
    graph_components:
        The connected components :math:`C_1,\dots,C_r` of :math:`G` as 1-based site tuples
        (ordered by smallest site, as ``BlendedReducedState.components``); the coordinates are
        the orbits of :math:`S_{C_1}\times\cdots\times S_{C_r}`.
    induced:
        The :class:`~blendsym.induced.InducedGraph` (:math:`Q_d`, components, :math:`P_d`);
        in the PI route built on first use, for :math:`n\le` 10 only.
    pi_basis:
        The :class:`~blendsym.section5.pi_basis.PIBasis` (connected graphs) or
        :class:`~blendsym.section5.product_basis.ProductPIBasis` (disconnected): type counts
        and index arithmetic.
    n, p:
        Number of qubits and of components of :math:`G_d` (:math:`p=\binom{n+3}{3}` for a
        connected :math:`G`, :math:`\prod_i\binom{n_i+3}{3}` otherwise); the property
        ``components`` gives the type counts of each coordinate (the same order in both
        routes).
    generator:
        :math:`B = P_d^\top A_dP_d` (exact SymPy, :math:`p\times p`).
    """

    def __init__(self, net: QuantumNetwork, basis: str = "auto"):
        if not isinstance(net, QuantumNetwork):
            raise InvalidArgumentError(f"net must be a QuantumNetwork: found {type(net).__name__}")
        self.network = net
        self.n: int = net.n
        self.basis: str = _choose_basis(net, basis)
        self.graph_components: tuple[tuple[int, ...], ...] = tuple(
            tuple(c) for c in net.graph.components
        )
        if self.basis == "full":
            self.__dict__["induced"] = induced_graph(net)
            self.p: int = self.induced.n_components
        else:
            self.p = math.prod(math.comb(len(c) + 3, 3) for c in self.graph_components)

    def __repr__(self) -> str:
        return (
            f"BlendedCoherent(n={self.n}, p={self.p}, basis={self.basis!r}, "
            f"network={self.network!r})"
        )

    # ------------------------------------------------------------------ structure
    @cached_property
    def induced(self) -> InducedGraph:
        """The induced graph (built on first use in the PI route; :math:`n\\le` 10)."""
        if self.n > MAX_LIFT_QUBITS:
            raise NotComputableError(
                f"the induced graph of n = {self.n} qubits has 4^n nodes: it is built for "
                f"n <= {MAX_LIFT_QUBITS}; the PI route works without it"
            )
        return induced_graph(self.network)

    @cached_property
    def pi_basis(self) -> PIBasis | ProductPIBasis:
        """Index arithmetic of the PI coordinates (a product basis on a disconnected graph)."""
        if len(self.graph_components) == 1:
            return PIBasis(self.n)
        return ProductPIBasis(self.n, self.graph_components)

    @property
    def components(self) -> np.ndarray:
        r"""Type counts :math:`(m_{00}, m_{01}, m_{10}, m_{11})` of each coordinate: shape
        ``(p, 4)`` for a connected graph, ``(p, r, 4)`` (one count vector per component of
        :attr:`graph_components`) for a disconnected one."""
        return np.array(self.pi_basis.counts)

    def _sizes(self) -> list[int]:
        if self.basis == "full":
            return [int(s) for s in self.induced.component_sizes]
        return self.pi_basis.exact_sizes

    def _model_of(self, net: QuantumNetwork):
        if len(self.graph_components) == 1:
            return local_model(net)
        return product_local_model(net, self.graph_components)

    @cached_property
    def local_model(self):
        """The contents of :math:`A_d` (:func:`blendsym.section5.pi_terms.local_model`, or
        :func:`~blendsym.section5.product_terms.product_local_model` by component)."""
        return self._model_of(self.network)

    @cached_property
    def exact_local_model(self):
        """:attr:`local_model` of the network under the float policy (``net.exact()``: each
        float read as the decimal it prints as), for the exact generators."""
        exact = self.network.exact()
        return self.local_model if exact is self.network else self._model_of(exact)

    def latex(self) -> str:
        """Definition 2 in operator form (:func:`blendsym.io.latex.coherent_equation_latex`)."""
        from ..io.latex import coherent_equation_latex

        return coherent_equation_latex(self.network)

    def _repr_latex_(self) -> str:
        from ..io.notebook import display_math

        return display_math(self.latex())

    def _repr_html_(self) -> str:
        from ..io.notebook import coherent_html

        return coherent_html(self)

    def to_qutip(self):
        r""":math:`P_dBP_d^\top` (the generator of (17) on the invariant states, zero on their
        complement) as a QuTiP superoperator on ``n`` qubits."""
        from ..io.qutip import superoperator

        p_d = self.induced.P_d
        return superoperator(p_d @ self.generator_numeric() @ p_d.T, self.n)

    # ------------------------------------------------------------------ generators
    @cached_property
    def _sums(self) -> dict[tuple[int, int], sympy.Expr]:
        r"""Exact block sums :math:`S_{mk} = \sum_{u\in\mathbb V_m, v\in\mathbb V_k}[A_d]_{uv}`
        (non-zero ones), from the operators (:func:`~blendsym.section5.block_sums.local_block_sums`): no
        :math:`4^n\times4^n` matrix is built."""
        # exact algebra on the model read by the float policy (blendsym.model.rationalize)
        return local_block_sums(self.network.exact(), self.induced.labels, self.p)

    def _check_exact_size(self) -> None:
        if self.p > EXACT_PI_MAX_P:
            raise NotComputableError(
                f"the exact generator (and its exact spectral analysis, which certifies M_d of "
                f"Theorem 3) is limited to p <= {EXACT_PI_MAX_P} coordinates (n <= 14): found "
                f"p = {self.p}; generator_numeric() assembles it in floating point"
            )

    @cached_property
    def generator(self) -> sympy.ImmutableMatrix:
        r""":math:`B = P_d^\top A_dP_d` exactly.  Full route: :math:`B_{mk} = (|\mathbb V_m|
        |\mathbb V_k|)^{-1/2}\sum_{u\in\mathbb V_m, v\in\mathbb V_k}[A_d]_{uv}`, the block sums
        from the Pauli strings of :math:`H` and the :math:`L_l` (:func:`~blendsym.section5.block_sums.local_block_sums`), not
        from the exact :math:`4^n\times4^n` matrix :math:`A_d`; PI route: eqs. (PI.4)–(PI.5).
        Built on request (the spectral analysis uses the similar :meth:`consensus_generator`)."""
        if self.basis == "pi":
            self._check_exact_size()
            return assemble_exact_any(
                self.pi_basis, self.exact_local_model.folded(exact=True), orthonormal=True
            )
        sizes = self.induced.component_sizes
        entries = {}
        for (m, k), s in self._sums.items():
            e = sympy.expand(s / sympy.sqrt(sympy.Integer(int(sizes[m]) * int(sizes[k]))))
            if e != 0:
                entries[(m, k)] = e
        return sympy.ImmutableMatrix(sympy.SparseMatrix(self.p, self.p, entries))

    def consensus_generator(self) -> sympy.ImmutableMatrix:
        r"""The generator in the paper's consensus values :math:`y_m`:
        :math:`D^{-1/2}BD^{1/2} = D^{-1}E^\top A_dE`, entries
        :math:`|\mathbb V_m|^{-1}\sum_{u\in\mathbb V_m,v\in\mathbb V_k}[A_d]_{uv}`.

        Similar to :math:`B` (same eigenvalues and Jordan structure) and free of the radicals
        :math:`\sqrt{|\mathbb V_m|}`; it is the matrix of :math:`\bar A` on the PI subspace in the
        basis of orbit indicator matrices."""
        return self._consensus

    @cached_property
    def _consensus(self) -> sympy.ImmutableMatrix:
        if self.basis == "pi":
            self._check_exact_size()
            return assemble_exact_any(
                self.pi_basis, self.exact_local_model.folded(exact=True), orthonormal=False
            )
        sizes = self.induced.component_sizes
        entries = {}
        for (m, k), s in self._sums.items():
            e = sympy.expand(s / sympy.Integer(int(sizes[m])))
            if e != 0:
                entries[(m, k)] = e
        return sympy.ImmutableMatrix(sympy.SparseMatrix(self.p, self.p, entries))

    @cached_property
    def _numeric(self):
        if self.basis == "pi":
            return assemble_numeric_any(self.pi_basis, self.local_model.folded(exact=False))
        a = self.network.local_liouvillian("scipy")
        pd = self.induced.P_d.astype(complex)
        return np.asarray((pd.T @ (a @ pd)).toarray(), dtype=complex)

    def generator_numeric(self, sparse: bool | None = None):
        r""":math:`B = P_d^\top A_dP_d` in floating point (needs numeric rates).

        Full route: from sparse products with the one-non-zero per row :math:`P_d`; PI route:
        eqs. (PI.4)–(PI.5), no :math:`4^n` object.  ``sparse=None`` returns a dense array for
        :math:`p\le` :data:`DENSE_RESULT_MAX_P` and a complex CSR matrix above; ``True`` /
        ``False`` force either."""
        b = self._numeric
        if sparse is None:
            sparse = self.p > DENSE_RESULT_MAX_P
        if sparse:
            return sp.csr_matrix(b, dtype=complex)
        return b.toarray() if sp.issparse(b) else b.copy()

    def consensus_numeric(self) -> sp.csr_matrix:
        r""":math:`C = D^{-1/2}BD^{1/2}` in floating point (CSR, PI assembly)."""
        return assemble_numeric_any(
            self.pi_basis, self.local_model.folded(exact=False), kind="consensus"
        )

    @cached_property
    def _real_numeric(self) -> sp.csr_matrix:
        if self.basis == "pi":
            return assemble_numeric_any(
                self.pi_basis, self.local_model.folded(exact=False), kind="real"
            )
        b = sp.csr_matrix(self._numeric)
        s = self.pi_basis.adjoint
        perm = sp.csr_matrix((np.ones(self.p), (np.arange(self.p), s)), shape=(self.p, self.p))
        bu = 0.5 * ((1 + 1j) * b + (1 - 1j) * (b @ perm))
        out = (bu.real + bu.imag).tocsr()
        out.eliminate_zeros()
        return out

    def generator_real(self) -> sp.csr_matrix:
        r"""The real form :math:`R = TBT^{-1}` of :math:`B` on the coordinates of Hermitian
        operators (eq. (PI.6) of :mod:`blendsym.section5.pi_dynamics`), float64 CSR."""
        return self._real_numeric.copy()

    # ------------------------------------------------------------------ projections
    def project(self, rho):
        r""":math:`\mathbf y_d = P_d^\top\mathrm{vec}(\rho)` (eq. (16)); any :math:`2^n\times 2^n`
        operator or length-:math:`4^n` vector (exact in, exact out)."""
        if self.basis == "full":
            return self.induced.project(rho)
        if is_structured_state(rho):
            return _pi_states.state_coordinates(self.pi_basis, rho)
        return _pi_states.project_operator(self.pi_basis, rho)

    def lift(self, y_d):
        r""":math:`\mathrm{vec}^{-1}(P_d\mathbf y_d)` (eq. (15)): the :math:`2^n\times 2^n` operator
        with entry :math:`[\mathbf y_d]_m/\sqrt{|\mathbb V_m|}` on the nodes of :math:`\mathbb V_m`.
        For a connected :math:`G`, ``lift(project(rho)) == P_*(rho)`` (eq. (13))."""
        if self.basis == "full":
            return self.induced.lift(y_d)
        return _pi_states.lift_coordinates(self.pi_basis, y_d)

    def initial_state(self, state):
        r""":math:`\mathbf y_d(0) = P_d^\top\mathrm{vec}(\rho(0))` of Definition 2.

        ``state``: a density operator (:math:`2^n\times2^n`, validated; exact SymPy gives an
        exact vector) or, at any :math:`n`, a :class:`~blendsym.ProductState`,
        :class:`~blendsym.ProductMixture` or :class:`~blendsym.DickeState` (their coordinates
        by generating functions, :mod:`blendsym.section5.pi_states`; exact for exact input
        while :math:`p\le2000`)."""
        if is_structured_state(state):
            if state.n != self.n:
                raise InvalidStateError(
                    f"state has n = {state.n} qubits but the network has n = {self.n}"
                )
            return _pi_states.state_coordinates(self.pi_basis, state)
        rho = validate_density(state, name="rho0", n=self.n)
        return self.project(rho)

    def _lift_many(self, ys: np.ndarray) -> np.ndarray:
        if self.basis == "pi":
            return _pi_states.lift_coordinates(self.pi_basis, ys)
        d = 2**self.n
        scaled = ys / np.sqrt(self.induced.component_sizes)[None, :]
        return scaled[:, self.induced.labels].reshape(ys.shape[0], d, d)

    def _coordinates_in(self, y0) -> np.ndarray:
        y = np.asarray(
            _as_numeric_matrix(sympy.Matrix(y0)) if isinstance(y0, sympy.MatrixBase) else y0,
            dtype=complex,
        ).ravel()
        if y.size != self.p:
            raise InvalidArgumentError(
                f"y0 must be a vector of length p = {self.p}: found size {y.size}"
            )
        return y

    def evolve_coordinates(
        self, y0, times, method: str = "auto", tol: float = DEFAULT_TOL
    ) -> np.ndarray:
        r""":math:`\mathbf y_d(t) = e^{Bt}\mathbf y_0` at ``times``, shape ``(T, p)``.

        Full route: dense exponentials (as before).  PI route:
        :func:`blendsym.section5.pi_dynamics.evolve_pi` (dense for small :math:`p`, else Krylov
        on the sparse generator in real coordinates; estimated error below ``tol``)."""
        t = check_times(times)
        y = self._coordinates_in(y0)
        if self.basis == "full":
            return propagate(self._numeric, y, t, method="dense")
        return self.trajectory(y, t, method=method, tol=tol).coordinates

    def trajectory(
        self,
        state,
        times,
        observables=None,
        *,
        keep_coordinates: bool = True,
        method: str = "auto",
        tol: float = DEFAULT_TOL,
        krylov_dim: int | None = None,
    ):
        r"""Evolve Definition 2 from ``state`` (coordinates of length :math:`p`, or anything
        :meth:`initial_state` accepts) and return a
        :class:`~blendsym.section5.pi_dynamics.CoherentTrajectory`: PI coordinates (unless
        ``keep_coordinates=False``) and the requested ``observables`` at every time — names
        ``"Jx" "Jy" "Jz" "JpJm" "trace" "purity" "concurrence" "rho1" "rho12"``,
        :class:`~blendsym.SiteOperator` expectation values, or callables of the coordinates
        (a list, or a dict name -> spec).  Never builds :math:`2^n\times2^n` arrays."""
        from .pi_dynamics import KRYLOV_DIM, evolve_pi

        if isinstance(state, np.ndarray | list | tuple) and np.size(state) == self.p:
            y0 = self._coordinates_in(state)
        elif isinstance(state, sympy.MatrixBase) and state.shape in ((self.p, 1), (1, self.p)):
            y0 = self._coordinates_in(state)
        else:
            y0 = self._coordinates_in(self.initial_state(state))
        return evolve_pi(
            self.pi_basis,
            lambda: self._numeric,
            lambda: self._real_numeric,
            y0,
            times,
            method=method,
            tol=tol,
            krylov_dim=krylov_dim or KRYLOV_DIM,
            observables=observables,
            keep_coordinates=keep_coordinates,
        )

    def evolve(self, rho0, times) -> np.ndarray:
        r"""The lifted blended coherent trajectory :math:`\mathrm{vec}^{-1}(\tilde{\mathbf y}_d(t))`,
        :math:`\tilde{\mathbf y}_d = P_de^{Bt}P_d^\top\mathrm{vec}\rho(0)`, shape
        ``(T, 2^n, 2^n)`` (:math:`n\le10`).  It equals :math:`e^{\bar At}\mathcal P_*(\rho(0))`
        (module docstring), so it starts at :math:`\mathcal P_*(\rho(0))`, not at
        :math:`\rho(0)`."""
        if is_structured_state(rho0):
            y0 = self._coordinates_in(self.initial_state(rho0))
        else:
            rho = validate_density(rho0, name="rho0", n=self.n)
            rho = _as_numeric_matrix(rho)
            y0 = self.project(rho)
        ys = self.evolve_coordinates(y0, times)
        return self._lift_many(ys)

    # ------------------------------------------------------------------ observables (PI)
    def _y(self, y):
        return _pi_states._check_y(self.pi_basis, y)

    def reduced_state(self, y, j: int = 1):
        r"""The :math:`2\times2` marginal at site ``j`` of the lifted operator
        :math:`\mathrm{vec}^{-1}(P_d\mathbf y)` (the same at every site; eq. (S.2) of
        :mod:`blendsym.section5.pi_states`), from the coordinates ``y``."""
        check_site(j, self.n, "j")
        return _pi_states.reduced_state(self.pi_basis, self._y(y), j)

    def marginal(self, y, k: int):
        r"""The :math:`k`-site marginal (:math:`2^k\times2^k`) of the lifted operator."""
        return _pi_states.marginal(self.pi_basis, self._y(y), k)

    def expectation(self, op, y):
        r""":math:`\mathrm{tr}(\mathrm{op}\,X)`, :math:`X = \mathrm{vec}^{-1}(P_d\mathbf y)`, for a
        :class:`~blendsym.SiteOperator` ``op`` (any number of terms; grouped by content)."""
        return _pi_states.expectation(self.pi_basis, self._y(y), op)

    def collective_moments(self, y):
        r"""``(<J_a>, <J_a J_b>)``, :math:`J_a = \frac12\sum_j\sigma_a^{(j)}`, of the lift."""
        return _pi_states.collective_moments(self.pi_basis, self._y(y))

    def purity(self, y):
        r""":math:`\mathrm{tr}X^2 = \|\mathbf y\|^2` (Hermitian lift)."""
        return _pi_states.purity(self.pi_basis, self._y(y))

    def concurrence(self, y) -> float:
        r"""Two-site concurrence of the lift (Wootters, of :math:`X_{12}/\mathrm{tr}X_{12}`)."""
        return _pi_states.concurrence(_pi_states.marginal(self.pi_basis, self._y(y), 2))

    def trace(self, y):
        r""":math:`\mathrm{tr}\,\mathrm{vec}^{-1}(P_d\mathbf y)`."""
        return _pi_states.trace(self.pi_basis, self._y(y))

    def stationary_states(self, tol: float = 1e-9) -> tuple[list[np.ndarray], dict]:
        r"""Coordinates of a Hermitian trace-one basis of :math:`\ker B` (numeric; dense SVD for
        small :math:`p`, sparse shift-invert beyond) and how they were found
        (``info["kernel_dimension"]``); :func:`blendsym.section5.pi_dynamics.
        stationary_coordinates`."""
        from .pi_dynamics import stationary_coordinates

        return stationary_coordinates(
            self.pi_basis, self._numeric, lambda: self._real_numeric, tol=tol
        )

    def kernel_dimension(self, tol: float = 1e-9) -> int:
        r"""Dimension of :math:`\ker B` (numeric, see :meth:`stationary_states`)."""
        return int(self.stationary_states(tol)[1]["kernel_dimension"])

    # ------------------------------------------------------------------ spectrum
    @cached_property
    def spectral(self):
        r"""Spectral analysis of :math:`B` (:func:`blendsym.spectral.analyze`, no ``state_dim``:
        :math:`B` acts on :math:`\mathbb C^p`, not on vectorised matrices).

        The exact algebra (characteristic polynomial, Jordan structure, signs of
        :math:`\mathrm{Re}\,\lambda`, kernel) is done on the similar
        :meth:`consensus_generator` :math:`C = D^{-1/2}BD^{1/2}`, whose entries lie in the
        field of :math:`A_d` (for Example 3 :math:`\mathbb Q(i,\sqrt{10})` instead of
        :math:`\mathbb Q(i,\sqrt2,\sqrt3,\sqrt{10})`: about 6x faster); kernel vectors are
        mapped back by :math:`D^{1/2}`, and the norm constants (:math:`M_d` of Theorem 3) use
        :math:`B` itself (``.similar`` holds the analysis of :math:`C`).

        :math:`B = D^{1/2}CD^{-1/2}` holds by construction (both come from the same block sums),
        so the similarity is not re-verified entry by entry, and the exact :math:`B` is built
        only if asked for (``.matrix``, exact exponentials); its double-precision values for
        the norm constants are :math:`s_mC_{mk}/s_k` evaluated at 30 digits."""
        from ..spectral.analysis import SpectralAnalysis

        if self.basis == "pi":
            self._check_exact_size()
        scaling = [sympy.sqrt(sympy.Integer(int(k))) for k in self._sizes()]
        return SpectralAnalysis._trusted_similar(self._consensus, scaling, matrix=self._b_matrix)

    def _b_matrix(self) -> sympy.ImmutableMatrix:
        return self.generator

    def jordan_structure(self) -> dict:
        r"""Exact eigenvalue -> Jordan block sizes of :math:`B` (see :mod:`blendsym.spectral`).

        Building every exact root can be slow for large irreducible factors (Example 3 has one
        of degree 15 over :math:`\mathbb Q(\sqrt{10})`); :meth:`jordan_structure_by_factor`
        gives the same block data per factor without the roots."""
        return self.spectral.jordan_structure

    def is_relaxing(self) -> bool:
        """Whether :math:`B` has a one-dimensional kernel and every other eigenvalue decays."""
        return bool(self.spectral.is_relaxing)

    @property
    def mu(self):
        r""":math:`\mu_d`: the smallest non-zero :math:`|\mathrm{Re}\,\lambda|` of :math:`B`."""
        return self.spectral.mu

    def _adjoint_components(self) -> np.ndarray:
        r"""``s[m]``: the component of :math:`|l'\rangle\langle l|` for :math:`|l\rangle\langle l'|`
        in :math:`\mathbb V_m`; then :math:`P_d^\top\mathrm{vec}(X^\dagger) =
        \overline{\mathbf y_d[s]}` (components related by :math:`X\mapsto X^\dagger` have
        equal sizes)."""
        if self.basis == "pi":
            return np.array(self.pi_basis.adjoint)
        d = 2**self.n
        labels = self.induced.labels
        v = np.arange(d * d)
        s = np.empty(self.p, dtype=np.int64)
        s[labels] = labels[(v % d) * d + v // d]
        return s

    def _diagonal_counts(self) -> list[int]:
        """Number of diagonal nodes :math:`|l\\rangle\\langle l|` in each component."""
        if self.basis == "pi":
            sizes = self.pi_basis.exact_sizes
            return [sizes[m] if self.pi_basis.diagonal[m] else 0 for m in range(self.p)]
        d = 2**self.n
        labels = self.induced.labels
        return np.bincount(labels[np.arange(d) * (d + 1)], minlength=self.p).tolist()

    def trace_functional(self) -> sympy.Matrix:
        r"""The row :math:`\boldsymbol\tau` with :math:`\mathrm{tr}\,\mathrm{vec}^{-1}(P_d\mathbf y_d)
        = \boldsymbol\tau\mathbf y_d`: :math:`\tau_m = \#\{\text{diagonal nodes in }
        \mathbb V_m\}/\sqrt{|\mathbb V_m|}`.  Trace preservation is :math:`\boldsymbol\tau B = 0`."""
        diag = self._diagonal_counts()
        sizes = self._sizes()
        return sympy.Matrix(
            [[sympy.Integer(int(diag[m])) / sympy.sqrt(int(sizes[m])) for m in range(self.p)]]
        )

    def steady_states(self) -> list:
        r"""Kernel of :math:`B` lifted to :math:`2^n\times 2^n` operators, trace one (exact).

        The kernel of the Hermiticity-preserving :math:`\bar A` restricted to PI operators is
        closed under :math:`X\mapsto X^\dagger` (in coordinates
        :math:`\mathbf y\mapsto\overline{\mathbf y[s]}`, see :meth:`_adjoint_components`), so
        it has a Hermitian basis, found in :math:`\mathbb C^p` before lifting.  When the kernel
        is one-dimensional (relaxing case) the single operator is the unique PI steady state
        (trace one; positive, being a limit of :math:`e^{\bar At}` applied to a state).  For a
        larger kernel a basis of trace-one Hermitian operators is returned: the first has
        non-zero trace and is normalised, each other one is made traceless by subtracting a
        multiple of the first and then shifted by the first; together they span the stationary
        PI operators, but they need not be positive (density operators spanning them:
        :meth:`positive_stationary_basis`).  (Lifted: :math:`n\le10`; the coordinates at any
        size: :meth:`stationary_states`.)
        """
        s = self._adjoint_components()
        # consensus coordinates y_c = D^{-1/2} y_d: no radicals; the adjoint map is the same
        # (components related by X -> X^dagger have equal sizes)
        kernel = [sympy.Matrix(v) for v in self.spectral.similar.kernel]
        herm: list[sympy.Matrix] = []
        for v in kernel:
            adj = sympy.Matrix([sympy.conjugate(v[int(s[m])]) for m in range(self.p)])
            for cand in (v + adj, sympy.I * (v - adj)):
                cand = cand.applyfunc(sympy.expand)
                if cand.is_zero_matrix:
                    continue
                trial = sympy.Matrix.hstack(*herm, cand)
                if trial.rank(simplify=True) == len(herm) + 1:
                    herm.append(cand)
            if len(herm) == len(kernel):
                break
        if not herm:
            return []
        d = 2**self.n
        labels = self.induced.labels if self.basis == "full" else self.pi_basis.node_labels
        diag = self._diagonal_counts()
        tau = sympy.Matrix([[sympy.Integer(int(diag[m])) for m in range(self.p)]])
        traces = [_algebraic_simplify((tau * h)[0, 0]) for h in herm]
        order = sorted(range(len(herm)), key=lambda i: 0 if traces[i] != 0 else 1)
        herm = [herm[i] for i in order]
        traces = [traces[i] for i in order]
        if traces[0] == 0:
            raise NotComputableError("the kernel of B contains no operator with non-zero trace")
        first = (herm[0] / traces[0]).applyfunc(_algebraic_simplify)
        coords = [first]
        for h, t in zip(herm[1:], traces[1:], strict=True):
            coords.append((h - t * first + first).applyfunc(_algebraic_simplify))
        return [sympy.Matrix(d, d, [y[int(lab)] for lab in labels]) for y in coords]

    def positive_stationary_basis(self, method: str = "auto", tol: float = 1e-9) -> list:
        r"""Lifted :math:`2^n\times2^n` density operators (Hermitian, positive semidefinite,
        trace one) spanning the stationary PI operators of (17), unlike :meth:`steady_states`
        whose elements need not be positive: the spectral projector onto :math:`\ker B`
        applied to PI projections of basis states (extreme points when the kernel commutes);
        exact for :math:`2^n\le` :data:`blendsym.limits.EXACT_STATIONARY_DIM`, numeric above
        (the result says which).  See :mod:`blendsym.section5.coherent_stationary`."""
        from .coherent_stationary import coherent_positive_stationary_basis

        return coherent_positive_stationary_basis(self, method=method, tol=tol)

    def jordan_structure_by_factor(self):
        r"""``(q, m, blocks)`` per irreducible factor of the characteristic polynomial of
        :math:`B` (cheap: no exact roots are built; see :mod:`blendsym.spectral`)."""
        return self.spectral.jordan_structure_by_factor


def blended_coherent(net: QuantumNetwork, basis: str = "auto") -> BlendedCoherent:
    r"""The blended coherent dynamics of Definition 2 (eq. (17)) of ``net``.

    ``basis``: ``"full"`` (the construction on the induced graph :math:`G_d`, :math:`4^n` nodes),
    ``"pi"`` (assembled in the PI coordinates from the model's terms, any :math:`n`; connected
    graphs) or ``"auto"``: ``"full"`` for :math:`n\le` :data:`AUTO_FULL_MAX_QUBITS` or a
    disconnected graph, else ``"pi"``.  Both routes give the same coordinates in the same order
    and equal matrices.

    One object per network and route, kept in the network's memo (the network is immutable),
    so that its exact generator and spectral analysis are computed once however often it is
    asked for (e.g. by Theorems 3 and 4)."""
    if not isinstance(net, QuantumNetwork):
        raise InvalidArgumentError(f"net must be a QuantumNetwork: found {type(net).__name__}")
    route = _choose_basis(net, basis)
    return net._memo.get(f"blended coherent ({route})", lambda: BlendedCoherent(net, route))
