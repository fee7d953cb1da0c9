r"""Numeric propagation of the full network, eq. (4).

Eq. (4) is linear and time invariant, :math:`\dot{\tilde y} = \mathcal L\tilde y`, so
:math:`\tilde y(t) = e^{\mathcal L t}\tilde y(0)` is computed exactly up to round-off,
never with a generic adaptive ODE solver:

* ``"dense"``: :func:`scipy.linalg.expm` of the dense Liouvillian for each distinct
  time step (one matrix exponential for a uniform grid), reused for every output time.
  Scaling and squaring keeps it accurate for large :math:`K_c` (stiff SWAP term).
* ``"expm_multiply"``: :func:`scipy.sparse.linalg.expm_multiply` on the sparse
  Liouvillian (Al-Mohy–Higham), for larger networks.

``"auto"`` picks ``"dense"`` up to Liouville dimension 1024 (``n <= 5``).
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass, field

import numpy as np
import scipy.linalg
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from .errors import InvalidArgumentError
from .network import QuantumNetwork
from .states import bloch_vector, partial_trace, validate_density

__all__ = ["Trajectory", "simulate", "propagate", "check_times", "DENSE_MAX_DIM"]

#: Largest Liouville-space dimension propagated with dense matrix exponentials.
DENSE_MAX_DIM = 1024


@dataclass
class Trajectory:
    """A sampled solution of eq. (4).

    Attributes
    ----------
    times: shape ``(T,)``.
    states: shape ``(T, 2^n, 2^n)``, the density operators at ``times``.
    n: number of qubits.
    method: the propagation method used.
    """

    times: np.ndarray
    states: np.ndarray
    n: int
    method: str = ""
    info: dict = field(default_factory=dict)

    def reduced(self, j: int) -> np.ndarray:
        """Reduced states of qubit ``j`` (1-based) at every time, shape ``(T, 2, 2)``."""
        if isinstance(j, bool) or not isinstance(j, numbers.Integral) or not 1 <= j <= self.n:
            raise InvalidArgumentError(f"j must be a qubit index in 1..{self.n}: found {j!r}")
        return partial_trace(self.states, [int(j)])

    def bloch(self, j: int, convention: str = "standard") -> np.ndarray:
        """Bloch vectors of qubit ``j`` at every time, shape ``(T, 3)``."""
        return bloch_vector(self.reduced(j), convention)

    def __len__(self) -> int:
        return len(self.times)


def check_times(times, name: str = "times") -> np.ndarray:
    """A 1-D array of finite, non-negative, non-decreasing times."""
    if isinstance(times, numbers.Real) and not isinstance(times, bool):
        times = [times]
    try:
        t = np.asarray(times, dtype=float)
    except (TypeError, ValueError) as exc:
        raise InvalidArgumentError(f"{name} must be a 1-D array of real numbers") from exc
    if t.ndim != 1 or t.size == 0:
        raise InvalidArgumentError(f"{name} must be a non-empty 1-D array: found shape {t.shape}")
    if not np.all(np.isfinite(t)):
        raise InvalidArgumentError(f"{name} must be finite: found NaN or inf")
    if np.any(t < 0):
        raise InvalidArgumentError(f"{name} must be non-negative: found min {t.min()}")
    if np.any(np.diff(t) < 0):
        raise InvalidArgumentError(f"{name} must be non-decreasing")
    return t


def propagate(generator, y0: np.ndarray, times: np.ndarray, method: str = "auto") -> np.ndarray:
    r"""Evaluate :math:`e^{A t}y_0` at each time; ``A`` dense or sparse, ``y0`` a vector.

    Returns an array of shape ``(len(times), len(y0))``.
    """
    n = generator.shape[0]
    if method == "auto":
        method = "dense" if n <= DENSE_MAX_DIM else "expm_multiply"
    y0 = np.asarray(y0, dtype=complex)
    out = np.empty((len(times), n), dtype=complex)
    if method == "dense":
        a = generator.toarray() if sp.issparse(generator) else np.asarray(generator, dtype=complex)
        steps = np.diff(np.concatenate([[0.0], times]))
        cache: dict[float, np.ndarray] = {}
        y = y0
        for i, h in enumerate(steps):
            if h != 0:
                key = float(h)
                # steps equal up to round-off (a uniform grid built by linspace) share one
                # exponential; the tolerance is relative, so tiny steps stay distinct
                match = next((k for k in cache if abs(k - key) <= 1e-13 * max(k, key)), None)
                if match is None:
                    cache[key] = scipy.linalg.expm(a * key)
                    match = key
                y = cache[match] @ y
            out[i] = y
        return out
    if method == "expm_multiply":
        a = sp.csr_matrix(generator)
        steps = np.diff(np.concatenate([[0.0], times]))
        uniform = len(times) > 2 and np.allclose(steps[1:], steps[1], rtol=1e-12, atol=0)
        if uniform:
            y_start = spla.expm_multiply(a * times[0], y0) if times[0] > 0 else y0
            out[:] = spla.expm_multiply(
                a, y_start, start=0.0, stop=times[-1] - times[0], num=len(times), endpoint=True
            )
            return out
        y = y0
        for i, h in enumerate(steps):
            if h != 0:
                y = spla.expm_multiply(a * h, y)
            out[i] = y
        return out
    raise InvalidArgumentError(
        f"method must be 'auto', 'dense' or 'expm_multiply': found {method!r}"
    )


def simulate(net: QuantumNetwork, rho0, times, kc=None, method: str = "auto") -> Trajectory:
    r"""Solve eq. (4) from ``rho0`` and sample it at ``times``.

    Parameters
    ----------
    net: the network (its parameters must be numeric apart from ``K_c``).
    rho0: the initial density operator (validated).
    times: non-negative, non-decreasing sample times (``t = 0`` is the time of ``rho0``).
    kc: the coupling gain; required when ``net.coupling`` is a symbol.
    method: ``"auto"``, ``"dense"`` or ``"expm_multiply"``.
    """
    if not isinstance(net, QuantumNetwork):
        raise InvalidArgumentError(f"net must be a QuantumNetwork: found {type(net).__name__}")
    rho = validate_density(rho0, name="rho0", n=net.n)
    rho = np.array(rho.evalf().tolist(), dtype=complex) if hasattr(rho, "evalf") else rho
    t = check_times(times)
    generator = net.liouvillian(kc=kc, backend="scipy")
    chosen = method
    if method == "auto":
        chosen = "dense" if generator.shape[0] <= DENSE_MAX_DIM else "expm_multiply"
    ys = propagate(generator, rho.ravel(), t, method=chosen)
    d = net.dim
    return Trajectory(times=t, states=ys.reshape(len(t), d, d), n=net.n, method=chosen)
