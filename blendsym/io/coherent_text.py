r"""Command-line text for models of any size (``blendsym analyze`` / ``simulate --coherent``).

Nothing here builds a :math:`2^n`- or :math:`4^n`-size object: models with many terms are
summarised instead of written out in LaTeX, and the blended coherent dynamics (Definition 2)
is described from its sparse PI generator when its exact spectral analysis is out of reach.
"""

from __future__ import annotations

import time

import numpy as np

from ..errors import SizeLimitError
from ..model.network import QuantumNetwork
from ..model.structured_states import is_structured_state

__all__ = [
    "LATEX_MAX_TERMS",
    "model_line",
    "short",
    "describe_coherent",
    "blended_initial_state",
    "simulate_coherent",
]

#: Models with more Pauli terms than this are summarised rather than written in LaTeX.
LATEX_MAX_TERMS = 200
#: ... and a large model's collective-sum LaTeX is printed up to this many characters.
LATEX_MAX_CHARACTERS = 4000


def _n_terms(net: QuantumNetwork) -> int:
    return len(net.hamiltonian.terms) + sum(len(l_op.terms) for _, l_op in net.jumps)


def model_line(net: QuantumNetwork) -> str:
    """Eq. (4) in LaTeX for small models and for models written with collective sums (from
    :data:`~blendsym.io.latex_collective.COLLECTIVE_MIN_QUBITS` qubits on), after a one-line
    summary for large ones."""
    from .latex import network_equation_latex
    from .latex_collective import COLLECTIVE_MIN_QUBITS

    if _n_terms(net) <= LATEX_MAX_TERMS:
        return network_equation_latex(net)
    summary = _summary(net)
    if net.n >= COLLECTIVE_MIN_QUBITS:
        tex = network_equation_latex(net)
        if len(tex) <= LATEX_MAX_CHARACTERS:
            return f"{summary}\n  {tex}"
    return summary


def _summary(net: QuantumNetwork) -> str:
    h = net.hamiltonian
    loc = max((len(k) for k in h.terms), default=0)
    jumps = ", ".join(f"{len(l_op.terms)} Pauli terms" for _, l_op in net.jumps) or "none"
    return (
        f"eq. (4) on n = {net.n} qubits, {len(net.graph.edges)} edges (K_c = {net.coupling}); "
        f"H: {len(h.terms)} Pauli terms (at most {loc}-local); jumps: {jumps}"
    )


def short(text, limit: int = 300) -> str:
    """``str(text)`` cut to ``limit`` characters."""
    s = str(text)
    return s if len(s) <= limit else s[:limit] + f" ... ({len(s) - limit} more characters)"


def describe_coherent(c, exact_max_p: int | None = None) -> list[str]:
    r"""Lines describing Definition 2: the exact spectral data while :math:`p\le`
    ``exact_max_p`` (default :data:`~blendsym.section5.coherent.EXACT_PI_MAX_P`), the sparse
    PI generator otherwise."""
    from ..section5.coherent import EXACT_PI_MAX_P

    limit = EXACT_PI_MAX_P if exact_max_p is None else min(exact_max_p, EXACT_PI_MAX_P)
    lines = [f"Blended coherent dynamics (Definition 2): p = {c.p} (basis {c.basis})"]
    if c.p <= limit:
        sp_ = c.spectral
        lines.append(f"relaxing: {sp_.is_relaxing}; mu = {sp_.mu}; exact: {sp_.exact}")
        lines.append(f"Jordan structure: {sp_.jordan_structure}")
        return lines
    start = time.perf_counter()
    b = c.generator_numeric(sparse=True)
    lines.append(
        f"  generator B: {b.shape[0]} x {b.shape[1]} sparse, {b.nnz} non-zeros "
        f"({b.nnz / b.shape[0]:.1f} per row), assembled from {len(c.local_model.contents)} "
        f"local contents in {time.perf_counter() - start:.1f} s"
    )
    lines.append(f"  exact spectral analysis skipped (p > {limit}); simulate --coherent evolves it")
    try:  # the operator form (polynomial in n) unless a jump's support is too large
        lines.append(f"  {c.latex()}")
    except SizeLimitError as exc:
        lines.append(f"  operator form not derived: {exc}")
    return lines


def blended_initial_state(net: QuantumNetwork, rho0):
    r""":math:`\rho_b(0) = \frac1n\sum_j\rho_j(0)` of a product state or mixture
    (Definition 1), ``None`` for other inputs."""
    if not hasattr(rho0, "reduced_state") or not is_structured_state(rho0):
        return None
    parts = [rho0.reduced_state(j) for j in range(1, net.n + 1)]
    return sum(parts[1:], parts[0]) / net.n


def simulate_coherent(
    net: QuantumNetwork,
    rho0,
    times: np.ndarray,
    csv: str | None = None,
    plot: str | None = None,
    title: str | None = None,
) -> list[str]:
    r"""Evolve Definition 2 from ``rho0`` in the PI coordinates and report
    :math:`\langle J_a\rangle`, the single-site Bloch vector, the two-site concurrence and the
    purity of the lifted state (:math:`J_a = \frac12\sum_j\sigma_a^{(j)}`); ``csv`` writes
    them at every time, ``plot`` draws them (:func:`blendsym.plot.plot_coherent_trajectory`,
    ``title`` -- the model's name -- in front of the figure's title)."""
    import sys

    from ..model.states import bloch_vector
    from ..section5.coherent import blended_coherent

    c = blended_coherent(net)
    tr = c.trajectory(
        rho0,
        times,
        observables=["Jx", "Jy", "Jz", "rho1", "concurrence", "purity"],
        keep_coordinates=False,
    )
    obs = tr.observables
    r1 = bloch_vector(obs["rho1"])
    info = tr.info
    lines = [
        f"Blended coherent dynamics (Definition 2): p = {c.p} (basis {c.basis}), method "
        f"{info['method']}"
        + (f", {info['applications']} generator applications" if "applications" in info else "")
        + f", {info['seconds']:.1f} s, estimated error {info['error_estimate']:.1e}",
        f"t = {times[-1]:g}: <J_x, J_y, J_z> = ({obs['Jx'][-1]:+.6f}, {obs['Jy'][-1]:+.6f}, "
        f"{obs['Jz'][-1]:+.6f}); r_1 = ({', '.join(f'{v:+.4f}' for v in r1[-1])}); "
        f"two-site concurrence {obs['concurrence'][-1]:.4g}; purity {obs['purity'][-1]:.4g}",
    ]
    if csv:
        with open(csv, "w", encoding="utf-8") as fh:
            fh.write("t,Jx,Jy,Jz,r1_x,r1_y,r1_z,concurrence,purity\n")
            for i, t in enumerate(times):
                row = [
                    t,
                    obs["Jx"][i],
                    obs["Jy"][i],
                    obs["Jz"][i],
                    *r1[i],
                    obs["concurrence"][i],
                    obs["purity"][i],
                ]
                fh.write(",".join(f"{v:.12g}" for v in row) + "\n")
        print(f"wrote {csv}", file=sys.stderr)
    if plot:
        from ..errors import InvalidArgumentError
        from ..plot import plot_coherent_trajectory

        heading = f"blended coherent dynamics (Definition 2), n = {net.n}"
        fig = plot_coherent_trajectory(tr, title=f"{title}: {heading}" if title else heading)
        try:
            fig.savefig(plot, dpi=110)
        except (OSError, ValueError) as exc:
            raise InvalidArgumentError(f"--plot: cannot write {plot!r}: {exc}") from None
        print(f"wrote {plot}", file=sys.stderr)
    return lines
