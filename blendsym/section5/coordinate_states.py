r"""States and observables in the PI coordinates of either kind of graph.

The functions of :mod:`blendsym.section5.pi_states` (a connected graph,
:class:`~blendsym.section5.pi_basis.PIBasis`) under the same names, dispatched to
:mod:`blendsym.section5.product_states` for a disconnected one
(:class:`~blendsym.section5.product_basis.ProductPIBasis`).  The dense conversions
(:func:`project_operator`, :func:`lift_coordinates`), :func:`trace`, :func:`purity` and
:func:`consensus_values` only use the orbit sizes, node labels and diagonal orbits, which both
bases provide.  On a disconnected graph the :math:`k`-site marginal of the lift depends on the
sites (:func:`~blendsym.section5.product_states.product_marginal`): :func:`marginal` and
:func:`marginal_map` refuse it there, :func:`reduced_state` takes the site.
"""

from __future__ import annotations

from ..errors import NotComputableError
from . import pi_states as ps
from . import product_states as pr
from .product_basis import ProductPIBasis

__all__ = [
    "state_coordinates",
    "project_operator",
    "lift_coordinates",
    "consensus_values",
    "trace",
    "purity",
    "concurrence",
    "reduced_state",
    "marginal",
    "marginal_map",
    "expectation",
    "expectation_functional",
    "collective_moments",
    "distance_to_pi",
]

project_operator = ps.project_operator
lift_coordinates = ps.lift_coordinates
consensus_values = ps.consensus_values
trace = ps.trace
purity = ps.purity
concurrence = ps.concurrence
_check_y = ps._check_y


def _is_product(basis) -> bool:
    return isinstance(basis, ProductPIBasis)


def _site_dependent(basis, what: str) -> NotComputableError:
    return NotComputableError(
        f"{what}: on a disconnected graph (components {[list(b) for b in basis.blocks]}) the "
        "marginals of the lift depend on the sites; use reduced_state(y, j), expectation(op, y) "
        "or blendsym.section5.product_states.product_marginal(basis, y, sites)"
    )


def state_coordinates(basis, state, exact: bool | None = None):
    """:func:`~blendsym.section5.pi_states.state_coordinates` in either basis."""
    if _is_product(basis):
        return pr.product_state_coordinates(basis, state, exact)
    return ps.state_coordinates(basis, state, exact)


def reduced_state(basis, y, j: int = 1):
    """The :math:`2\\times2` marginal of the lift at site ``j``."""
    if _is_product(basis):
        from .._validate import check_int

        j = check_int(j, "j", minimum=1, maximum=basis.n)
        return pr.product_marginal(basis, y, (j,))
    return ps.reduced_state(basis, y, j)


def marginal(basis, y, k: int):
    """The :math:`k`-site marginal of the lift (connected graphs: the same on every sites)."""
    if _is_product(basis):
        raise _site_dependent(basis, f"the {k}-site marginal")
    return ps.marginal(basis, y, k)


def marginal_map(basis, k: int):
    """:func:`~blendsym.section5.pi_states.marginal_map` (connected graphs)."""
    if _is_product(basis):
        raise _site_dependent(basis, f"the {k}-site marginal map")
    return ps.marginal_map(basis, k)


def expectation(basis, y, op):
    r""":math:`\mathrm{tr}(\mathrm{op}\,X)` in either basis."""
    if _is_product(basis):
        return pr.product_expectation(basis, y, op)
    return ps.expectation(basis, y, op)


def expectation_functional(basis, op):
    r"""The functional :math:`\boldsymbol\ell` of ``op`` in either basis."""
    if _is_product(basis):
        return pr.product_expectation_functional(basis, op)
    return ps.expectation_functional(basis, op)


def collective_moments(basis, y):
    r"""``(<J_a>, <J_a J_b>)`` in either basis."""
    if _is_product(basis):
        return pr.product_collective_moments(basis, y)
    return ps.collective_moments(basis, y)


def distance_to_pi(basis, state, y=None):
    r""":math:`C = \|\rho - \mathcal P(\rho)\|_F` for the group of the basis."""
    if _is_product(basis):
        return pr.product_distance_to_pi(basis, state)
    return ps.distance_to_pi(basis, state, y)
