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
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np
import sympy

from ..errors import InvalidArgumentError
from ..model.conventions import dissipator_superop, hamiltonian_superop, vec
from ..model.network import QuantumNetwork
from ..model.states import reduced_states, validate_density
from ..numeric.evolve import check_times
from .reduced import LocalModel, _single_site_matrix, local_generator_expression, local_models

if TYPE_CHECKING:  # pragma: no cover
    from ..spectral import SpectralAnalysis

__all__ = ["BlendedReducedState", "blended_reduced_state"]


class BlendedReducedState:
    r"""The blended reduced-state dynamics of a separable network (Definition 1, eq. (6)).

    Attributes
    ----------
    generator:
        :math:`\bar{\mathcal L}` as an exact 4x4 superoperator (row stacking).
    hamiltonian:
        :math:`\bar H = \frac1n\sum_j H_j` (2x2, exact).
    dissipators:
        ``[(gamma_l / n, L_{l,j}), ...]``: the blended dissipative part
        :math:`\frac1n\sum_{j,l}\gamma_l\mathcal D(L_{l,j})`.
    """

    def __init__(self, net: QuantumNetwork):
        if not isinstance(net, QuantumNetwork):
            raise InvalidArgumentError(f"net must be a QuantumNetwork: found {type(net).__name__}")
        self.network = net
        self.n = net.n
        self.hbar = net.hbar
        self.locals: list[LocalModel] = local_models(net)

    # ------------------------------------------------------------------ the generator
    @cached_property
    def hamiltonian(self) -> sympy.ImmutableMatrix:
        h = sum((sympy.Matrix(m.hamiltonian) for m in self.locals), sympy.zeros(2, 2))
        return sympy.ImmutableMatrix((h / self.n).applyfunc(sympy.expand))

    @cached_property
    def dissipators(self) -> tuple[tuple[sympy.Expr, sympy.ImmutableMatrix], ...]:
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
        for g, l_op in self.network.jumps:
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

        return blended_equation_latex(self)

    # ------------------------------------------------------------------ states
    def initial_state(self, rho0) -> sympy.Matrix | np.ndarray:
        r""":math:`\rho_b(0) = \frac1n\sum_j\rho_j(0)` from the network's initial state."""
        rho = validate_density(rho0, name="rho0", n=self.n)
        parts = reduced_states(rho)
        if isinstance(rho, sympy.MatrixBase):
            return (sum(parts, sympy.zeros(2, 2)) / self.n).applyfunc(sympy.simplify)
        return sum(parts) / self.n

    # ------------------------------------------------------------------ spectrum
    @cached_property
    def spectral(self) -> SpectralAnalysis:
        """Exact spectral analysis of :math:`\\bar{\\mathcal L}` (see :mod:`blendsym.spectral`)."""
        from ..spectral import analyze

        return analyze(self.generator, state_dim=2)

    def steady_states(self) -> list[sympy.Matrix]:
        return self.spectral.steady_states

    def is_relaxing(self) -> bool:
        return self.spectral.is_relaxing

    @property
    def mu(self) -> sympy.Expr:
        r""":math:`\mu`: the smallest non-zero :math:`|\mathrm{Re}\,\lambda|` of :math:`\bar{\mathcal L}`."""
        return self.spectral.mu

    def jordan_structure(self) -> dict:
        return self.spectral.jordan_structure

    # ------------------------------------------------------------------ solutions
    def _b0(self, rho_b0):
        rho = validate_density(rho_b0, name="rho_b0", n=1)
        return rho

    def solution(self, rho_b0) -> sympy.Matrix:
        r""":math:`\rho_b(t) = \mathrm{vec}^{-1}(e^{\bar{\mathcal L}t}\mathrm{vec}\rho_b(0))` in closed form."""
        rho = self._b0(rho_b0)
        if not isinstance(rho, sympy.MatrixBase):
            rho = sympy.Matrix(rho.tolist()).applyfunc(sympy.nsimplify)
        from ..spectral import exact_solution

        t = sympy.Symbol("t", real=True)
        y = exact_solution(self.generator, vec(rho), t)
        return sympy.Matrix(2, 2, list(y))

    def evolve(self, rho_b0, times) -> np.ndarray:
        """Numeric :math:`\\rho_b(t)` at ``times`` (shape ``(T, 2, 2)``), via ``expm``."""
        from ..numeric.evolve import propagate

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
                "substitute values in the network first (net.subs)"
            )
        return np.array(g.evalf().tolist(), dtype=complex)

    def __repr__(self) -> str:
        return f"BlendedReducedState({self.equation()})"

    def _repr_latex_(self) -> str:
        from ..io.notebook import display_math

        return display_math(self.latex())

    def to_qutip(self):
        """The generator of eq. (6) as a QuTiP superoperator on one qubit
        (:func:`blendsym.io.qutip.superoperator`; numeric parameters needed)."""
        from ..io.qutip import superoperator

        return superoperator(self.generator_numeric(), 1)


def blended_reduced_state(net: QuantumNetwork) -> BlendedReducedState:
    """The blended reduced-state dynamics of Definition 1 (raises NotSeparableError)."""
    return BlendedReducedState(net)
