r"""Property-based validation of a user's model (``blendsym check``).

Hypothesis draws density operators (full rank, low rank, pure, product) and checks, for
the given network, what the theory promises:

* the generator of (4) preserves the trace and Hermiticity;
* the evolved state stays positive semidefinite (several :math:`K_c` and times);
* the SWAP part of (4) is :math:`-K_c Q_d` (induced-graph Laplacian);
* (13): :math:`P_dP_d^\top\mathrm{vec}\rho = \mathrm{vec}\,\mathcal P_*(\rho)` (connected graphs,
  against the literal average over the :math:`n!` permutations);
* the blended coherent dynamics (17) keeps permutation-invariant states physical;
* for separable models: the reduced-state equations (5) hold on every drawn state, and the
  blended reduced-state generator is completely positive.

Requires hypothesis (the ``test`` extra).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import scipy.linalg

from .errors import InvalidArgumentError, NotComputableError
from .model.network import QuantumNetwork

__all__ = [
    "PropertyResult",
    "PropertyViolation",
    "require",
    "check_model",
    "GAINS",
    "TIMES",
    "CHECK_MAX_QUBITS",
]

#: Coupling gains and times used when the model leaves them open.
GAINS = (1.0, 40.0)
TIMES = (0.1, 1.0, 5.0)
#: Tolerances of the numerical checks: an absolute floor (evolved states; generators applied
#: to states) and a part relative to the scale of the computation (``||A t||_1`` of an
#: exponential, ``||G||_inf`` of a generator).  Double-precision rounding grows with that scale
#: (about ``1e-16`` times it), so an absolute tolerance alone reported valid models with large
#: rates or gains (a rate of 1e8) as failed.
STATE_TOL, EXP_RTOL = 1e-9, 1e-12
GEN_TOL, GEN_RTOL = 1e-10, 1e-13


#: Largest number of qubits ``blendsym check`` handles (that of the drawn states of
#: :func:`blendsym.testing.density_matrices`).
CHECK_MAX_QUBITS = 6


@dataclass
class PropertyResult:
    name: str
    held: bool
    detail: str


class PropertyViolation(Exception):
    """A promised invariant failed on a drawn state (raised by :func:`require`).

    An explicit exception, not ``assert``: the checks must also run under ``python -O``.
    """


def require(condition, message: str) -> None:
    """Raise :class:`PropertyViolation` with ``message`` unless ``condition`` holds."""
    if not condition:
        raise PropertyViolation(message)


def _finite(arr, what: str) -> None:
    """Refuse a numerical check whose data overflowed double precision: that is no verdict
    on the model, so it is a :class:`NotComputableError`, not a failed property."""
    data = arr.data if hasattr(arr, "tocsr") else np.asarray(arr)
    if not np.all(np.isfinite(data)):
        raise NotComputableError(
            f"{what} is not finite in double precision: the model's rates, weights, K_c or "
            "times are too large for the numerical checks"
        )


def _run(name: str, strategy, check, max_examples: int) -> PropertyResult:
    from hypothesis import HealthCheck, Phase, Verbosity, given, settings

    # no shrinking: only the violation's message is reported, and shrinking a failing state
    # of a broken model costs minutes (a broken generator fails on every draw)
    @settings(
        max_examples=max_examples,
        phases=(Phase.explicit, Phase.reuse, Phase.generate),
        deadline=None,
        database=None,
        derandomize=True,
        verbosity=Verbosity.quiet,
        suppress_health_check=list(HealthCheck),
        report_multiple_bugs=False,
    )
    @given(strategy)
    def prop(x):
        check(x)

    try:
        prop()
    except PropertyViolation as exc:
        return PropertyResult(name, False, str(exc).splitlines()[0] if str(exc) else "failed")
    return PropertyResult(name, True, f"{max_examples} drawn states")


def check_model(net: QuantumNetwork, max_examples: int = 25) -> list[PropertyResult]:
    """Check every promised invariant of ``net`` on drawn states; returns one result each."""
    from .model.permutations import (
        permutation_invariant_projection,
        permutation_invariant_projection_literal,
    )
    from .section4.blended import blended_reduced_state
    from .section4.reduced import (
        is_separable,
        numeric_reduced_derivatives,
        reduced_system_generator,
    )
    from .section5.coherent import blended_coherent
    from .section5.induced import induced_graph
    from .testing import density_matrices

    if not isinstance(net, QuantumNetwork):
        raise InvalidArgumentError(f"net must be a QuantumNetwork: found {type(net).__name__}")
    if net.parameters:
        raise InvalidArgumentError(
            f"the model has symbolic parameters {sorted(map(str, net.parameters))}: give them values"
        )
    if isinstance(max_examples, bool) or not isinstance(max_examples, int) or max_examples < 1:
        raise InvalidArgumentError(
            f"max_examples must be a positive integer: found {max_examples!r}"
        )
    n, d = net.n, net.dim
    if n > CHECK_MAX_QUBITS:
        raise InvalidArgumentError(
            f"the property checks handle n <= {CHECK_MAX_QUBITS} qubits: found n = {n} (each drawn "
            f"state would be a {d} x {d} matrix, the generator of (4) a {d * d} x {d * d} "
            "superoperator)"
        )
    gains = GAINS if net.coupling.free_symbols else (float(net.coupling),)
    gens = {kc: net.liouvillian(kc=kc, backend="scipy") for kc in gains}
    for kc, gen in gens.items():
        _finite(gen, f"the generator of (4) at K_c = {kc:g}")
    dense = {kc: g.toarray() for kc, g in gens.items()} if d <= 32 else None
    states = density_matrices(n, kind="any")
    from ._progress import CountingList, open_bar

    progress = open_bar(None, "blendsym check")
    results = CountingList(progress)

    def trace_and_hermiticity(rho):
        for kc, g in gens.items():
            out = (g @ rho.ravel()).reshape(d, d)
            scale = max(1.0, abs(g).max())
            require(
                abs(np.trace(out)) < 1e-10 * scale, f"tr(L rho) = {np.trace(out):.3g} at K_c = {kc}"
            )
            herm = np.abs(out - out.conj().T).max()
            require(herm < 1e-10 * scale, f"(L rho) not Hermitian: {herm:.3g} at K_c = {kc}")

    results.append(
        _run("trace and Hermiticity preserved by (4)", states, trace_and_hermiticity, max_examples)
    )

    if dense is not None:
        props = {(kc, t): scipy.linalg.expm(a * t) for kc, a in dense.items() for t in TIMES}
        tols = {
            (kc, t): max(STATE_TOL, EXP_RTOL * _norm1(a) * t)
            for kc, a in dense.items()
            for t in TIMES
        }
        for (kc, t), phi in props.items():
            _finite(phi, f"the propagator exp(L t) of (4) at K_c = {kc:g}, t = {t:g}")

        def positivity(rho):
            for (kc, t), phi in props.items():
                out = (phi @ rho.ravel()).reshape(d, d)
                lam = np.linalg.eigvalsh((out + out.conj().T) / 2).min()
                tol = tols[kc, t]
                require(lam > -tol, f"negative eigenvalue {lam:.3g} at K_c = {kc}, t = {t}")
                require(
                    abs(np.trace(out) - 1) < tol,
                    f"trace {np.trace(out):.12g} at K_c = {kc}, t = {t}",
                )

        results.append(
            _run("positivity of the evolved state", states, positivity, max(1, max_examples // 2))
        )

    g = induced_graph(net)
    swap_dev = abs(net.swap_liouvillian("scipy") + g.laplacian).max()
    results.append(
        PropertyResult(
            "SWAP part of (4) equals -K_c Q_d", swap_dev < 1e-12, f"max deviation {swap_dev:.1e}"
        )
    )

    if net.graph.is_connected and n <= 6:
        p = g.P_d

        def eq13(rho):
            lhs = (p @ (p.T @ rho.ravel())).reshape(d, d)
            dev = np.abs(lhs - permutation_invariant_projection_literal(rho)).max()
            require(dev < 1e-12, f"P_d P_d^T vec(rho) - vec(P_*(rho)) = {dev:.3g}")

        results.append(
            _run(
                f"(13) P_d P_d^T = P_* (literal {math.factorial(n)}-term average)",
                states,
                eq13,
                max_examples,
            )
        )

    if n <= 5:
        c = blended_coherent(net)
        c_norm = _norm1(c.generator_numeric())
        _finite(c_norm, "the blended coherent generator (17)")

        def coherent(rho):
            pi = permutation_invariant_projection(rho)
            for t, s in zip(TIMES, c.evolve(pi, np.array(TIMES)), strict=True):
                _finite(s, f"the blended coherent state (17) at t = {t:g}")
                tol = max(STATE_TOL, EXP_RTOL * c_norm * t)
                lam = np.linalg.eigvalsh((s + s.conj().T) / 2).min()
                require(lam > -tol, f"blended coherent state has eigenvalue {lam:.3g} at t = {t}")
                require(
                    abs(np.trace(s) - 1) < tol,
                    f"blended coherent state has trace {np.trace(s):.12g} at t = {t}",
                )

        results.append(
            _run(
                "blended coherent dynamics (17) keeps PI states physical",
                states,
                coherent,
                max(1, max_examples // 2),
            )
        )

    if is_separable(net):
        red = {
            kc: np.array(reduced_system_generator(net, kc=kc).evalf().tolist(), dtype=complex)
            for kc in gains
        }
        red_tol = {
            kc: max(GEN_TOL, GEN_RTOL * np.abs(m).sum(axis=1).max()) for kc, m in red.items()
        }
        for kc, m in red.items():
            _finite(m, f"the reduced-state generator (5) at K_c = {kc:g}")

        def eq5(rho):
            stacked = np.concatenate([_ptrace1(rho, n, j) for j in range(1, n + 1)])
            for kc in gains:
                derived = numeric_reduced_derivatives(net, rho, kc)
                predicted = (red[kc] @ stacked).reshape(n, 2, 2)
                dev = np.abs(derived - predicted).max()
                require(dev < red_tol[kc], f"eq. (5) off by {dev:.3g} at K_c = {kc}")

        results.append(
            _run("reduced-state equations (5) on every state", states, eq5, max_examples)
        )
        b = blended_reduced_state(net)
        for part in b.by_component():  # one blended generator per connected component
            where = "" if b.is_connected else f" of component {list(part.sites)}"
            gen = part.generator_numeric()
            _finite(gen, "the blended reduced-state generator (6)")
            worst, held = 0.0, True
            for t in (0.1, 1.0, 10.0):
                phi = scipy.linalg.expm(gen * t)
                _finite(phi, f"the blended propagator exp(L_b t) at t = {t:g}")
                choi = np.zeros((4, 4), dtype=complex)
                for i in range(2):
                    for j in range(2):
                        choi += np.kron(_unit(i, j), (phi @ _unit(i, j).ravel()).reshape(2, 2))
                low = np.linalg.eigvalsh((choi + choi.conj().T) / 2).min()
                held = held and low > -max(GEN_TOL, GEN_RTOL * _norm1(gen) * t)
                worst = min(worst, low)
            results.append(
                PropertyResult(
                    f"blended reduced-state generator{where} completely positive",
                    held,
                    f"min Choi eigenvalue {worst:.1e} (t = 0.1, 1, 10)",
                )
            )
    progress.close()
    return results


def _norm1(a) -> float:
    """The 1-norm (largest column sum) of a dense or sparse matrix."""
    col = abs(a).sum(axis=0)
    return float(np.max(col)) if np.size(col) else 0.0


def _unit(i: int, j: int) -> np.ndarray:
    e = np.zeros((2, 2))
    e[i, j] = 1
    return e


def _ptrace1(rho: np.ndarray, n: int, j: int) -> np.ndarray:
    from .model.states import partial_trace

    return partial_trace(rho, [j]).ravel()
