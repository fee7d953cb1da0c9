r"""Definition 1: the blended reduced-state dynamics (eq. (6)).

The blended system of a classical network is the *average of the node dynamics*, eq. (3).
For a separable quantum network the node dynamics are the local generators of eq. (5),
so the blended reduced-state generator is

.. math::

    \bar{\mathcal L} = \frac1n\sum_{j} \mathcal L_j,\qquad
    \bar{\mathcal L}\rho_b = -\frac{i}{\hbar}[\bar H, \rho_b]
        + \frac1n\sum_j\sum_l \gamma_l\,\mathcal D(L_{l,j})\rho_b,
    \qquad \bar H = \frac1n\sum_j H_j,

with :math:`\rho_b(0) = \frac1n\sum_j\rho_j(0)`.  This is what the paper's proofs use
(Appendix A: :math:`\bar{\mathcal L} = \frac1n\sum_j\mathcal L_j`) and what its worked
forms (9) and (12) show.  Definition 1 as printed, :math:`\sum_l\gamma_l\mathcal D(\bar L_l)`
with :math:`\bar L_l = \frac1n\sum_j L_{l,j}`, is a different generator whenever there is
dissipation (the dissipator is quadratic in :math:`L`): for one jump on one qubit it
divides the rate by :math:`n^2` instead of :math:`n`.  :meth:`BlendedReducedState.printed_generator`
builds the printed form so the two can be compared.

Disconnected graphs
-------------------
The paper assumes a connected :math:`G`.  With connected components
:math:`C_1,\dots,C_r` the SWAP couplings never mix reduced states of different components,
so eq. (5) splits into :math:`r` independent networks and each component has its own
blended reduced-state dynamics,

.. math::  \bar{\mathcal L}_{C} = \frac1{|C|}\sum_{j\in C}\mathcal L_j,\qquad
           \rho_{b,C}(0) = \frac1{|C|}\sum_{j\in C}\rho_j(0),

the average over *its own* qubits (``docs/theory.md``).  :attr:`BlendedReducedState.components`
lists the components (1-based site tuples) and :meth:`BlendedReducedState.component` returns the
dynamics of one of them; on a disconnected network the whole-network averages (the generator,
its steady states, :math:`\mu`, the solution, ...) raise
:class:`~blendsym.errors.NotComputableError` pointing there, instead of one state averaged over
qubits that never interact.

Floating-point models
---------------------
A model with float coefficients is analysed exactly under the float policy of
:mod:`blendsym.model.rationalize` (each float read as the decimal it prints as):
:attr:`BlendedReducedState.rationalized` records what was replaced.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np
import sympy

from .._validate import check_int
from ..errors import InvalidArgumentError, NotComputableError
from ..model.conventions import dissipator_superop, hamiltonian_superop, vec
from ..model.network import QuantumNetwork
from ..model.states import partial_trace, reduced_states, validate_density
from ..numeric.evolve import check_times
from .reduced import LocalModel, _single_site_matrix, local_generator_expression, local_models

if TYPE_CHECKING:  # pragma: no cover
    from ..numeric.lambdified import ParametricFunction
    from ..spectral import SpectralAnalysis

__all__ = ["BlendedReducedState", "ComponentSteadyStates", "blended_reduced_state"]


class BlendedReducedState:
    r"""The blended reduced-state dynamics of a separable network (Definition 1, eq. (6)).

    Attributes
    ----------
    network:
        The :class:`~blendsym.QuantumNetwork` (for a component: the subnetwork of its qubits,
        relabelled ``1..k``; :attr:`sites` gives their labels in the whole network).
    components:
        The connected components of :math:`G` as tuples of 1-based sites (one tuple for a
        connected graph).
    sites:
        The sites of the whole network this dynamics describes (all of them, or one
        component's).
    rationalized:
        The floats of the model and the rationals the exact analysis read them as (the
        float policy, :mod:`blendsym.model.rationalize`); empty for an exact model.
    generator:
        :math:`\bar{\mathcal L}` as an exact 4x4 superoperator (row stacking).
    hamiltonian:
        :math:`\bar H = \frac1n\sum_j H_j` (2x2, exact).
    dissipators:
        ``[(gamma_l / n, L_{l,j}), ...]``: the blended dissipative part
        :math:`\frac1n\sum_{j,l}\gamma_l\mathcal D(L_{l,j})`.
    """

    def __init__(self, net: QuantumNetwork, *, _sites=None, _index=None, _whole=None):
        if not isinstance(net, QuantumNetwork):
            raise InvalidArgumentError(f"net must be a QuantumNetwork: found {type(net).__name__}")
        self.network = net
        self.n = net.n
        self.hbar = net.hbar
        self.rationalized: tuple = net.float_replacements()
        self._exact_net = net.exact()
        self.locals: list[LocalModel] = local_models(self._exact_net)
        self.sites: tuple[int, ...] = tuple(range(1, net.n + 1)) if _sites is None else _sites
        #: The index of this component in the whole network's :attr:`components` (``None``
        #: for a whole network).
        self.index: int | None = _index
        self._whole_sites = _whole
        self.components: tuple[tuple[int, ...], ...] = tuple(
            tuple(self.sites[j - 1] for j in c) for c in net.graph.components
        )
        self._parts: dict[int, BlendedReducedState] = {}

    # ------------------------------------------------------------------ components
    @property
    def is_connected(self) -> bool:
        """Whether :math:`G` is connected (one blended dynamics for the whole network)."""
        return len(self.components) == 1

    def component(self, i: int) -> BlendedReducedState:
        r"""The blended reduced-state dynamics of the component ``components[i]`` (``i`` is
        0-based: ``b.component(0)`` ... ``b.component(len(b.components) - 1)``).

        It is the blended dynamics of the subnetwork of that component's qubits
        (:meth:`~blendsym.QuantumNetwork.subnetwork`): the average of *their* local
        generators, :math:`\bar{\mathcal L}_C = \frac1{|C|}\sum_{j\in C}\mathcal L_j`, from
        :math:`\rho_{b,C}(0) = \frac1{|C|}\sum_{j\in C}\rho_j(0)`; its :attr:`sites` are the
        component's sites in the whole network and :attr:`index` is ``i``.  For a connected
        graph ``component(0)`` is the dynamics itself.
        """
        r = len(self.components)
        i = check_int(i, "i (the 0-based component index)", minimum=0, maximum=r - 1)
        if r == 1:
            if self.index is None:
                self.index = 0
            return self
        if i not in self._parts:
            comp = self.components[i]
            local = [self.sites.index(s) + 1 for s in comp]
            sub = self.network.subnetwork(local)
            self._parts[i] = BlendedReducedState(sub, _sites=comp, _index=i, _whole=self.sites)
        return self._parts[i]

    def by_component(self) -> tuple[BlendedReducedState, ...]:
        """``(component(0), component(1), ...)``: the blended dynamics of every component."""
        return tuple(self.component(i) for i in range(len(self.components)))

    def _connected(self, what: str) -> None:
        if len(self.components) > 1:
            r = len(self.components)
            raise NotComputableError(
                f"{what}: the graph G has {r} connected components {list(self.components)}; "
                "each has its own blended reduced-state dynamics (the average of its own "
                "qubits' local generators), so there is no single averaged one: use "
                f"b.component(i) for i = 0..{r - 1} (b.components lists their sites), "
                "e.g. [c.steady_states() for c in b.by_component()]"
            )

    # ------------------------------------------------------------------ the generator
    @cached_property
    def hamiltonian(self) -> sympy.ImmutableMatrix:
        self._connected("hamiltonian")
        h = sum((sympy.Matrix(m.hamiltonian) for m in self.locals), sympy.zeros(2, 2))
        return sympy.ImmutableMatrix((h / self.n).applyfunc(sympy.expand))

    @cached_property
    def dissipators(self) -> tuple[tuple[sympy.Expr, sympy.ImmutableMatrix], ...]:
        self._connected("dissipators")
        return tuple((sympy.expand(g / self.n), l_m) for m in self.locals for g, l_m in m.jumps)

    @cached_property
    def hamiltonian_generator(self) -> sympy.ImmutableMatrix:
        r""":math:`-\frac{i}{\hbar}[\bar H,\cdot]` as a 4x4 superoperator."""
        return sympy.ImmutableMatrix(hamiltonian_superop(self.hamiltonian, self.hbar, "sympy"))

    @cached_property
    def dissipative_generator(self) -> sympy.ImmutableMatrix:
        r""":math:`\frac1n\sum_{j,l}\gamma_l\mathcal D(L_{l,j})` as a 4x4 superoperator."""
        out = sympy.zeros(4, 4)
        for g, l_m in self.dissipators:
            out += g * sympy.Matrix(dissipator_superop(l_m, "sympy"))
        return sympy.ImmutableMatrix(out.applyfunc(sympy.expand))

    @cached_property
    def generator(self) -> sympy.ImmutableMatrix:
        r""":math:`\bar{\mathcal L} = \frac1n\sum_j\mathcal L_j` (exact, row stacking)."""
        self._connected("generator")
        avg = sum((sympy.Matrix(m.generator()) for m in self.locals), sympy.zeros(4, 4)) / self.n
        return sympy.ImmutableMatrix(avg.applyfunc(sympy.expand))

    def local_generators(self) -> list[sympy.ImmutableMatrix]:
        r"""The :math:`\mathcal L_j` of eq. (5) / Theorem 1, one per qubit."""
        return [m.generator() for m in self.locals]

    def printed_generator(self) -> sympy.ImmutableMatrix:
        r"""Definition 1 *as printed*: :math:`-\frac{i}{\hbar}[\bar H,\cdot]+\sum_l\gamma_l\mathcal D(\bar L_l)`.

        Jump operators are grouped by their index ``l`` in ``net.jumps``; under Assumption 1
        each acts on one qubit ``j(l)``, so :math:`\bar L_l = L_{l,j(l)}/n`.
        """
        out = sympy.Matrix(self.hamiltonian_generator)
        for g, l_op in self._exact_net.jumps:
            if not l_op.sites:
                continue
            (site,) = l_op.sites
            l_bar = _single_site_matrix(l_op, site) / self.n
            out += g * sympy.Matrix(dissipator_superop(l_bar, "sympy"))
        return sympy.ImmutableMatrix(out.applyfunc(sympy.expand))

    # ------------------------------------------------------------------ equations
    def equation(self) -> sympy.Eq:
        r"""``Eq(Derivative(rho_b, t), -i/hbar [Hbar, rho_b] + sum gamma/n D(L) rho_b)``."""
        t = sympy.Symbol("t", real=True)
        r = sympy.MatrixSymbol("rho_b", 2, 2)
        rhs = local_generator_expression(self.hamiltonian, self.dissipators, self.hbar, r)
        return sympy.Eq(sympy.Derivative(r, t, evaluate=False), rhs, evaluate=False)

    def latex(self) -> str:
        """The blended equation in the paper's notation (commutator and D(.) form)."""
        from ..io.latex import blended_equation_latex

        self._connected("latex")
        return blended_equation_latex(self)

    # ------------------------------------------------------------------ states
    def initial_state(self, rho0) -> sympy.Matrix | np.ndarray:
        r""":math:`\rho_b(0) = \frac1n\sum_j\rho_j(0)` from the network's initial state.

        For a component, ``rho0`` may be the state of the whole network (its reduced states
        on the component's :attr:`sites` are averaged) or of the component's qubits.
        """
        self._connected("initial_state")
        whole = self._whole_sites
        if whole is not None:
            rho = validate_density(rho0, name="rho0")
            dim = rho.shape[0]
            if dim == 2 ** len(whole) and len(whole) != self.n:
                keep = [whole.index(s) + 1 for s in self.sites]
                rho = partial_trace(rho, keep)
        rho = validate_density(rho0 if whole is None else rho, name="rho0", n=self.n)
        parts = reduced_states(rho)
        if isinstance(rho, sympy.MatrixBase):
            return (sum(parts, sympy.zeros(2, 2)) / self.n).applyfunc(sympy.simplify)
        return sum(parts) / self.n

    # ------------------------------------------------------------------ spectrum
    @cached_property
    def spectral(self) -> SpectralAnalysis:
        """Exact spectral analysis of :math:`\\bar{\\mathcal L}` (see :mod:`blendsym.spectral`);
        ``spectral.rationalized`` records the float policy's replacements, as
        :attr:`rationalized` does."""
        from ..spectral import analyze

        self._connected("spectral")
        an = analyze(self.generator, state_dim=2)
        an.rationalized = self.rationalized
        return an

    def steady_states(self) -> list[sympy.Matrix] | tuple[ComponentSteadyStates, ...]:
        r"""A basis of the steady states of :math:`\bar{\mathcal L}` (exact 2x2 matrices).

        On a disconnected graph there is no single blended dynamics: the result is then one
        :class:`ComponentSteadyStates` per connected component (its ``index``, its ``sites``
        and the steady states of *its* blended dynamics, :meth:`component`), never one state
        averaged over qubits that do not interact.  The basis need not be positive for a
        degenerate kernel: :meth:`positive_stationary_basis` gives density operators."""
        if not self.is_connected:
            return tuple(
                ComponentSteadyStates(i, c.sites, tuple(c.steady_states()))
                for i, c in enumerate(self.by_component())
            )
        return self.spectral.steady_states

    def positive_stationary_basis(
        self, method: str = "auto", tol: float = 1e-9
    ) -> list | tuple[ComponentSteadyStates, ...]:
        r"""A basis of density operators (exact 2x2, positive semidefinite, trace one) of the
        stationary states of :math:`\bar{\mathcal L}`, unlike :meth:`steady_states` whose
        elements need not be positive
        (:meth:`SpectralAnalysis.positive_stationary_basis
        <blendsym.spectral.SpectralAnalysis.positive_stationary_basis>`).  On a disconnected
        graph: one :class:`ComponentSteadyStates` per connected component."""
        if not self.is_connected:
            return tuple(
                ComponentSteadyStates(i, c.sites, tuple(c.positive_stationary_basis(method, tol)))
                for i, c in enumerate(self.by_component())
            )
        return self.spectral.positive_stationary_basis(method=method, tol=tol)

    def is_relaxing(self) -> bool:
        self._connected("is_relaxing")
        return self.spectral.is_relaxing

    @property
    def mu(self) -> sympy.Expr:
        r""":math:`\mu`: the smallest non-zero :math:`|\mathrm{Re}\,\lambda|` of :math:`\bar{\mathcal L}`."""
        self._connected("mu")
        return self.spectral.mu

    def jordan_structure(self) -> dict:
        self._connected("jordan_structure")
        return self.spectral.jordan_structure

    # ------------------------------------------------------------------ solutions
    def _b0(self, rho_b0):
        rho = validate_density(rho_b0, name="rho_b0", n=1)
        return rho

    def _exact_b0(self, rho_b0) -> sympy.Matrix:
        from ..model.rationalize import rationalize_expr

        rho = self._b0(rho_b0)
        if not isinstance(rho, sympy.MatrixBase):
            rho = sympy.Matrix(rho.tolist())
        return sympy.Matrix(rho).applyfunc(rationalize_expr)

    def solution(self, rho_b0) -> sympy.Matrix:
        r""":math:`\rho_b(t) = \mathrm{vec}^{-1}(e^{\bar{\mathcal L}t}\mathrm{vec}\rho_b(0))` in closed form.

        A numeric ``rho_b0`` is read exactly by the float policy
        (:mod:`blendsym.model.rationalize`)."""
        from ..spectral import exact_solution

        self._connected("solution")
        rho = self._exact_b0(rho_b0)
        t = sympy.Symbol("t", real=True)
        y = exact_solution(self.generator, vec(rho), t)
        return sympy.Matrix(2, 2, list(y))

    def evolve(self, rho_b0, times) -> np.ndarray:
        """Numeric :math:`\\rho_b(t)` at ``times`` (shape ``(T, 2, 2)``), via ``expm``."""
        from ..numeric.evolve import propagate

        self._connected("evolve")
        rho = self._b0(rho_b0)
        rho = (
            np.array(sympy.Matrix(rho).evalf().tolist(), dtype=complex)
            if isinstance(rho, sympy.MatrixBase)
            else rho
        )
        t = check_times(times)
        gen = self.generator_numeric()
        ys = propagate(gen, rho.ravel(), t, method="dense")
        return ys.reshape(len(t), 2, 2)

    def generator_numeric(self) -> np.ndarray:
        g = self.generator
        if g.free_symbols:
            raise InvalidArgumentError(
                f"the blended generator has free symbols {sorted(map(str, g.free_symbols))}; "
                "substitute values in the network first (net.subs), or use "
                "generator_function() to evaluate it at many values at once"
            )
        return np.array(g.evalf().tolist(), dtype=complex)

    # ------------------------------------------------------------------ compiled forms
    def _symbols(self) -> dict:
        from ..numeric.lambdified import symbol_table

        return symbol_table(self.network.free_symbols, "the network")

    def generator_function(self) -> ParametricFunction:
        r"""The blended generator :math:`\bar{\mathcal L}` as a NumPy function of the model's
        symbols: ``f(omega=..., gamma=...)`` of shape ``(..., 4, 4)``, the values broadcast
        (:class:`~blendsym.numeric.lambdified.ParametricFunction`; lambdified once)."""
        from ..numeric.lambdified import ParametricFunction

        return _cached(
            self,
            "generator function",
            lambda: ParametricFunction(self.generator, self._symbols(), "generator_function"),
        )

    def steady_state_function(self) -> ParametricFunction:
        r"""The closed-form steady state :math:`\rho_r` as a NumPy function of the model's
        symbols: ``f(omega=..., gamma=...)`` of shape ``(..., 2, 2)``.

        :math:`\rho_r` is the exact kernel of :math:`\bar{\mathcal L}` computed once over the
        field of rational functions of the symbols (valid for generic values; where a
        denominator of the closed form vanishes the call raises
        :class:`~blendsym.errors.NotComputableError` naming the point).  Raises
        :class:`~blendsym.errors.NotComputableError` when the kernel is not one-dimensional
        (no unique steady state: the dynamics is not relaxing)."""
        from ..numeric.lambdified import ParametricFunction

        def build():
            states = self.steady_states()
            if len(states) != 1:
                raise NotComputableError(
                    f"steady_state_function: the blended generator has a {len(states)}-"
                    "dimensional kernel: there is no unique steady state (the blended "
                    "dynamics is not relaxing); see steady_states()"
                )
            return ParametricFunction(states[0], self._symbols(), "steady_state_function")

        return _cached(self, "steady state function", build)

    def solution_function(self, rho_b0) -> ParametricFunction:
        r"""The closed-form :math:`\rho_b(t)` from ``rho_b0`` as a NumPy function
        ``f(t, omega=..., ...)`` of shape ``(..., 2, 2)`` (``t`` broadcast with the
        parameters).  Needs a closed form of :math:`e^{\bar{\mathcal L}t}`
        (:meth:`solution`); raises :class:`~blendsym.errors.NotComputableError` otherwise
        (then evaluate :meth:`generator_function` and use ``scipy.linalg.expm``)."""
        from ..numeric.lambdified import ParametricFunction

        sol = self.solution(rho_b0)
        t = sympy.Symbol("t", real=True)
        lead = sympy.Symbol("_lead_t", real=True)
        return ParametricFunction(
            sol.subs(t, lead), self._symbols(), "solution_function", leading=("t",)
        )

    def mu_function(self) -> ParametricFunction:
        r""":math:`\mu` (Theorem 1) as a NumPy function of the symbols, when the exact
        analysis decides it in closed form for generic values (raises
        :class:`~blendsym.errors.NotComputableError` otherwise)."""
        from ..numeric.lambdified import ParametricFunction

        def build():
            mu = self.mu
            if mu is None:
                raise NotComputableError("mu_function: no eigenvalue has a non-zero real part")
            return ParametricFunction(mu, self._symbols(), "mu_function", real=True)

        return _cached(self, "mu function", build)

    def __repr__(self) -> str:
        if len(self.components) > 1:
            return f"BlendedReducedState(components={list(self.components)})"
        return f"BlendedReducedState({self.equation()})"

    def _repr_latex_(self) -> str:
        from ..io.notebook import display_math

        return display_math(self.latex())

    def to_qutip(self):
        """The generator of eq. (6) as a QuTiP superoperator on one qubit
        (:func:`blendsym.io.qutip.superoperator`; numeric parameters needed)."""
        from ..io.qutip import superoperator

        return superoperator(self.generator_numeric(), 1)


@dataclass(frozen=True)
class ComponentSteadyStates:
    """The steady states of the blended dynamics of one connected component of :math:`G`."""

    #: 0-based index in :attr:`BlendedReducedState.components`.
    index: int
    #: The component's 1-based sites in the whole network.
    sites: tuple[int, ...]
    #: A basis of the steady states of the component's blended generator (exact 2x2).
    states: tuple[sympy.Matrix, ...]

    def __str__(self) -> str:
        return f"component {self.index} (sites {list(self.sites)}): {list(self.states)}"


def _cached(b: BlendedReducedState, key: str, build):
    store = b.__dict__.setdefault("_functions", {})
    if key not in store:
        store[key] = build()
    return store[key]


def blended_reduced_state(net: QuantumNetwork) -> BlendedReducedState:
    """The blended reduced-state dynamics of Definition 1 (raises NotSeparableError).

    On a disconnected graph: one dynamics per connected component
    (:meth:`BlendedReducedState.component`)."""
    return BlendedReducedState(net)
