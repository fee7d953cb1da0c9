"""blendsym: blended dynamics of open quantum networks, exact and numeric.

The public API re-exports the small modules below; see ``docs/`` for the mathematics.
"""

from . import bounds, conventions, latex, limits, operators, paper
from .errors import (
    BlendsymError,
    InternalError,
    InvalidArgumentError,
    InvalidGraphError,
    InvalidModelError,
    InvalidOperatorError,
    InvalidStateError,
    ModelFileError,
    NotComputableError,
    NotSeparableError,
    NotStoredError,
    QutipConventionWarning,
    ReadOnlyError,
    ResourceLimitError,
    SizeLimitError,
)
from .model.graph import Graph, complete_graph
from .model.network import KC, QuantumNetwork
from .model.operators import (
    SiteOperator,
    from_matrix,
    identity,
    sigma_minus,
    sigma_plus,
    sigma_x,
    sigma_y,
    sigma_z,
    site_operator,
    sum_operators,
    sum_pairs,
    sum_sites,
)
from .model.permutations import (
    permutation_invariant_projection,
    permutation_unitary,
    swap_unitary,
)
from .model.states import (
    basis_state,
    bloch_vector,
    bra,
    is_density,
    ket,
    partial_trace,
    product_state,
    reduced_state,
    reduced_states,
    state_from_bloch,
    validate_density,
)
from .model.structured_states import (
    DickeState,
    ProductMixture,
    ProductState,
    spin_coherent_state,
)
from .numeric.evolve import Trajectory, simulate
from .numeric.propagator import NetworkPropagator
from .paper.report import verify_paper
from .section4.blended import BlendedReducedState, blended_reduced_state
from .section4.reduced import is_separable, reduced_state_equations, separability
from .section5.coherent import BlendedCoherent, blended_coherent
from .section5.induced import InducedGraph, induced_graph
from .section5.pi_dynamics import CoherentTrajectory

__version__ = "0.1.0"

__all__ = [
    "BlendedCoherent",
    "CoherentTrajectory",
    "DickeState",
    "ProductMixture",
    "ProductState",
    "spin_coherent_state",
    "sum_operators",
    "sum_pairs",
    "sum_sites",
    "blended_coherent",
    "verify_paper",
    "BlendedReducedState",
    "BlendsymError",
    "InducedGraph",
    "InternalError",
    "blended_reduced_state",
    "bounds",
    "induced_graph",
    "is_separable",
    "paper",
    "reduced_state_equations",
    "separability",
    "Graph",
    "InvalidArgumentError",
    "InvalidGraphError",
    "InvalidModelError",
    "InvalidOperatorError",
    "InvalidStateError",
    "KC",
    "ModelFileError",
    "NetworkPropagator",
    "NotComputableError",
    "NotSeparableError",
    "SizeLimitError",
    "NotStoredError",
    "QuantumNetwork",
    "QutipConventionWarning",
    "ReadOnlyError",
    "ResourceLimitError",
    "SiteOperator",
    "Trajectory",
    "basis_state",
    "bloch_vector",
    "bra",
    "complete_graph",
    "conventions",
    "from_matrix",
    "identity",
    "is_density",
    "ket",
    "latex",
    "limits",
    "operators",
    "partial_trace",
    "permutation_invariant_projection",
    "permutation_unitary",
    "product_state",
    "reduced_state",
    "reduced_states",
    "sigma_minus",
    "sigma_plus",
    "sigma_x",
    "sigma_y",
    "sigma_z",
    "simulate",
    "site_operator",
    "state_from_bloch",
    "swap_unitary",
    "validate_density",
]
