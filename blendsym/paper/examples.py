r"""The paper's three examples, built exactly as printed (with documented readings).

Each function returns ``(net, rho0)``: the :class:`~blendsym.QuantumNetwork` with the
coupling gain left as the symbol :math:`K_c`, and the exact initial state.

* Example 1 (eq. (8)): three qubits on the complete graph, :math:`H = \sigma_z^{(1)}`,
  jumps :math:`\sigma_-^{(2)}` and :math:`\sqrt3\,\sigma_+^{(3)}`,
  :math:`\rho(0) = |0\rangle\langle0|\otimes\tfrac12 I\otimes|1\rangle\langle1|`.
* Example 2 (eq. (11)): :math:`H = \sigma_x^{(1)}+\sigma_y^{(2)}+\sigma_z^{(3)}`, no
  dissipation (the text's "Lindblad operators Q = 0" means none).  Eq. (11) as printed
  omits the diffusive term, but the example sweeps :math:`K_c` (Figs. 2–3), so the network
  is eq. (4) with that Hamiltonian.  The printed initial state
  :math:`|0\rangle\langle0|\otimes\tfrac12(|1\rangle\langle1| + |1\rangle\langle0|)\otimes|1\rangle\langle1|`
  is not a density operator (its middle factor has trace 1/2 and is not Hermitian);
  :func:`example2_printed_initial_state` returns it as printed and the constructors refuse
  it.  The evident intent is the middle factor :math:`|{+}\rangle\langle{+}|`: the printed
  :math:`\rho_b(0)` has off-diagonal :math:`1/6 = \tfrac13\cdot\tfrac12`, so the middle qubit has
  coherence :math:`1/2`, and the only qubit state with a real coherence :math:`1/2` is
  :math:`|{+}\rangle\langle{+}|` (positivity forces :math:`p(1-p)\ge 1/4`, i.e. :math:`p = 1/2`).
* Example 3 (eq. (18)): the Dicke-type model.  Its capacitive term prints the malformed
  range :math:`\sum_{j\ge K}`; it is read as the sum over pairs :math:`j > k`,
  :math:`\sum_{j>k}\sigma_x^{(j)}\sigma_y^{(k)}`.  The decimals are exact numbers:
  :math:`0.1/2 = 1/20`, :math:`\sqrt{0.05} = \sqrt{1/20}`, :math:`\sqrt{0.02} = \sqrt{1/50}`.
  The single collective jump operator :math:`L = \sqrt{0.05}\sum_j\sigma_-^{(j)} + \sqrt{0.02}\sum_j\sigma_z^{(j)}`
  makes the model inseparable, as does the capacitive term.
"""

from __future__ import annotations

import numpy as np
import sympy

from ..model.graph import complete_graph
from ..model.network import QuantumNetwork
from ..model.operators import sigma_minus, sigma_plus, sigma_x, sigma_y, sigma_z
from ..model.states import basis_state, product_state

__all__ = [
    "example1",
    "example2",
    "example3",
    "example2_printed_initial_state",
    "example2_printed_blended_initial_state",
    "example1_printed_steady_state",
]


def example1(coupling=None) -> tuple[QuantumNetwork, sympy.Matrix]:
    """Example 1 (eq. (8)) and its initial state."""
    net = QuantumNetwork(
        3,
        complete_graph(3),
        sigma_z(1),
        [sigma_minus(2), sympy.sqrt(3) * sigma_plus(3)],
        coupling=coupling,
    )
    rho0 = product_state(basis_state("0"), sympy.eye(2) / 2, basis_state("1"))
    return net, rho0


def example1_printed_steady_state() -> sympy.Matrix:
    r"""The steady state :math:`\rho_r` printed after eq. (9)."""
    return sympy.Matrix([[sympy.Rational(2, 3), -sympy.I / 6], [sympy.I / 6, sympy.Rational(1, 3)]])


def example2(coupling=None) -> tuple[QuantumNetwork, sympy.Matrix]:
    """Example 2 (eq. (11) with the diffusive term) and the evident-intent initial state."""
    net = QuantumNetwork(
        3, complete_graph(3), sigma_x(1) + sigma_y(2) + sigma_z(3), [], coupling=coupling
    )
    rho0 = product_state(basis_state("0"), basis_state("+"), basis_state("1"))
    return net, rho0


def example2_printed_initial_state() -> sympy.Matrix:
    r"""The initial state of Example 2 exactly as printed (not a density operator)."""
    k0 = sympy.Matrix([1, 0])
    k1 = sympy.Matrix([0, 1])
    middle = sympy.Rational(1, 2) * (k1 * k1.T + k1 * k0.T)
    return sympy.kronecker_product(k0 * k0.T, middle, k1 * k1.T)


def example2_printed_blended_initial_state() -> sympy.Matrix:
    r"""The printed :math:`\rho_b(0) = \tfrac12|1\rangle\langle1| + \tfrac16|0\rangle\langle1| + \tfrac16|1\rangle\langle0|`."""
    r = sympy.Rational
    return sympy.Matrix([[0, r(1, 6)], [r(1, 6), r(1, 2)]])


def example3(
    coupling=None,
    n: int = 3,
    numeric: bool = False,
    normalization: str = "paper",
    structured: bool | None = None,
):
    r"""Example 3 (eq. (18)), capacitive term read as the sum over pairs :math:`j > k`.

    ``n`` extends the model to ``n`` qubits on the complete graph with unit weights:
    :math:`H = \sum_j\sigma_z^{(j)} + \frac1{20}\sum_j(\sigma_+^{(j)}+\sigma_-^{(j)})
    + \kappa_2\sum_{j>k}\sigma_x^{(j)}\sigma_y^{(k)}`, one collective jump
    :math:`L = \kappa_1\big(\sqrt{1/20}\sum_j\sigma_-^{(j)} + \sqrt{1/50}\sum_j\sigma_z^{(j)}\big)`,
    and :math:`\rho_0 = \sum_{j=1}^n j\,|e_j\rangle\langle e_j| / \binom{n+1}2`, :math:`e_j` the
    basis state whose only excited qubit is qubit :math:`n+1-j` (for ``n = 3`` exactly the
    printed :math:`(|001\rangle\langle001| + 2|010\rangle\langle010| + 3|100\rangle\langle100|)/6`).

    ``normalization="paper"``: :math:`\kappa_1 = \kappa_2 = 1` (eq. (18) as printed);
    ``"kac"``: :math:`\kappa_2 = 1/n`, :math:`\kappa_1 = 1/\sqrt n`, so that every part of
    the energy scale stays :math:`O(n)` (the pair sum alone has norm :math:`O(n^2)`).
    ``numeric=True`` returns :math:`\rho_0` as a complex NumPy array (what a simulation at
    moderate ``n`` wants; the exact SymPy matrix has :math:`4^n` entries).  For
    :math:`n >` :data:`~blendsym.model.structured_states.DENSE_MAX_QUBITS` (or with
    ``structured=True``) :math:`\rho_0` is a :class:`~blendsym.ProductMixture` of the :math:`n`
    basis states (exact unless ``numeric``).
    """
    from .._validate import check_choice, check_int
    from ..model.operators import sum_operators, sum_pairs, sum_sites
    from ..model.structured_states import DENSE_MAX_QUBITS, ProductMixture, ProductState

    n = check_int(n, "n", minimum=1)
    check_choice(normalization, "normalization", ("paper", "kac"))
    r = sympy.Rational
    kac = normalization == "kac"
    pair_w = r(1, n) if kac else sympy.Integer(1)
    jump_w = 1 / sympy.sqrt(n) if kac else sympy.Integer(1)
    h = sum_operators(
        [
            sum_sites(sigma_z, n),
            r(1, 20) * sum_sites(lambda j: sigma_plus(j) + sigma_minus(j), n),
            sum_pairs(sigma_x, sigma_y, n, weights=pair_w) if n > 1 else 0,
        ]
    )
    l_op = jump_w * (
        sympy.sqrt(r(1, 20)) * sum_sites(sigma_minus, n)
        + sympy.sqrt(r(1, 50)) * sum_sites(sigma_z, n)
    )
    net = QuantumNetwork(n, complete_graph(n) if n > 1 else [], h, [l_op], coupling=coupling)
    total = n * (n + 1) // 2
    if structured or (structured is None and n > DENSE_MAX_QUBITS):
        down, up = basis_state("0"), basis_state("1")
        if numeric:
            down = np.array([[1, 0], [0, 0]], dtype=complex)
            up = np.array([[0, 0], [0, 1]], dtype=complex)
        comps = []
        for j in sites_range(n):
            factors = [up if s == n + 1 - j else down for s in sites_range(n)]
            comps.append((j / total if numeric else r(j, total), ProductState(factors)))
        return net, ProductMixture(comps)
    if numeric:
        d = 2**n
        rho0 = np.zeros((d, d), dtype=complex)
        for j in sites_range(n):
            idx = 1 << (j - 1)  # qubit n+1-j excited is bit j-1 from the right
            rho0[idx, idx] = j / total
        return net, rho0
    rho0 = sympy.zeros(2**n, 2**n)
    for j in sites_range(n):
        idx = 1 << (j - 1)
        rho0[idx, idx] = r(j, total)
    return net, rho0


def sites_range(n: int) -> range:
    """The sites ``1..n``."""
    return range(1, n + 1)
