r"""The limits a numeric propagation of eq. (4) is checked against before any work.

Each raises :class:`~blendsym.errors.ResourceLimitError` with the numbers:

* **precision**: every method's round-off grows like :math:`\epsilon\|\mathcal L\|T`
  (:math:`\epsilon = 2^{-52}`; see :mod:`blendsym.krylov`), so its error estimate stays
  below :math:`10^{-6}` for :math:`\|\mathcal L\|_1T\le 10^{10}` and is reported honestly
  above; beyond :data:`MAX_NORM_TIME` :math:`= 10^{14}` (round-off of a few percent, and the
  overflow that made an unchecked ``kc = 1e300`` return NaN) the propagation is refused,
  naming the parameter that makes :math:`\|\mathcal L\|` large (``kc``, a rate, a weight,
  the Hamiltonian or ``hbar``) or ``t_final``.  :math:`\|\mathcal L\|_1` is bounded from the
  factors (:meth:`~blendsym.numeric.propagator.NetworkPropagator.norm_terms`): :math:`2\sum_P|c_P|/\hbar` for
  :math:`H`, :math:`2\gamma_l(\sum_P|c_P|)^2` per jump, :math:`2K_c\sum a_{jk}` for the
  SWAPs;
* **work** of ``expm_multiply``: Al-Mohy--Higham need about
  :math:`2.5\|\mathcal L\|_1T` products with the matrix (measured: 2.4-3.1); beyond
  :data:`EXPM_MULTIPLY_MAX_PRODUCTS` it is refused, pointing to ``"krylov"``;
* **memory** (:func:`estimate_memory`, in :func:`blendsym.simulate`).
"""

from __future__ import annotations

import os

import numpy as np

from ..errors import ResourceLimitError
from ..model.network import QuantumNetwork

__all__ = [
    "MAX_NORM_TIME",
    "EXPM_MULTIPLY_MAX_PRODUCTS",
    "check_norm_time",
    "check_expm_multiply",
    "expm_multiply_products",
    "available_memory",
    "generator_nnz_bound",
    "distinct_steps",
    "estimate_memory",
]

#: :math:`\|\mathcal L\|_1 T` beyond which propagation is refused (module docstring).
MAX_NORM_TIME = 1e14

#: Most products with the Liouvillian ``method="expm_multiply"`` may need (about
#: :math:`2.5\|\mathcal L\|_1T`; a minute or more at every size).
EXPM_MULTIPLY_MAX_PRODUCTS = 10**6


def check_norm_time(norm: float, t_final: float, terms, name: str = "t_final") -> None:
    r"""Refuse :math:`\|\mathcal L\|_1T` beyond :data:`MAX_NORM_TIME` (or not finite), naming
    the largest factor: ``t_final`` when it exceeds :math:`\|\mathcal L\|_1`, else the
    largest term of ``terms`` (``(value, description)`` pairs)."""
    with np.errstate(over="ignore", invalid="ignore"):
        product = float(np.float64(norm) * np.float64(t_final))
    if product <= MAX_NORM_TIME:
        return
    if terms and not t_final > norm:
        cause = f"the largest term of ||L||_1 is {max(terms)[1]}; {name} = {t_final:.6g}"
    else:
        cause = f"{name} = {t_final:.6g} with ||L||_1 <= {norm:.3g}"
    raise ResourceLimitError(
        f"||L||_1 * {name} = {product:.3g} is beyond MAX_NORM_TIME = {MAX_NORM_TIME:.0e}, the "
        f"range where double-precision propagation is reliable (its round-off, about "
        f"2.2e-16 ||L|| T, would exceed 1e-2): {cause}"
    )


def expm_multiply_products(norm1: float, t_final: float) -> float:
    """Products with the matrix SciPy's ``expm_multiply`` needs, about ``2.5 ||A||_1 T``."""
    return 2.5 * norm1 * t_final


def check_expm_multiply(norm1: float, t_final: float) -> None:
    products = expm_multiply_products(norm1, t_final)
    if not products <= EXPM_MULTIPLY_MAX_PRODUCTS:
        raise ResourceLimitError(
            f'method="expm_multiply" would need about {products:.3g} products with the '
            f"Liouvillian (2.5 ||L||_1 t_final, ||L||_1 = {norm1:.3g}, t_final = {t_final:.6g}), "
            f"beyond EXPM_MULTIPLY_MAX_PRODUCTS = {EXPM_MULTIPLY_MAX_PRODUCTS:.0e}; "
            'use method="krylov" (or "matrix_free"), whose work grows far slower with ||L|| T'
        )


# ----------------------------------------------------------------------------- memory


def available_memory() -> int | None:
    """Bytes this process may still allocate: ``MemAvailable`` of ``/proc/meminfo``, capped
    by a cgroup (v2) limit; ``None`` where neither can be read."""
    avail = None
    try:
        with open("/proc/meminfo") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    avail = int(line.split()[1]) * 1024
                    break
    except (OSError, ValueError):
        pass
    if avail is None:
        try:
            avail = os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        except (AttributeError, OSError, ValueError):
            avail = None
    try:
        with open("/sys/fs/cgroup/memory.max") as fh:
            limit = fh.read().strip()
        with open("/sys/fs/cgroup/memory.current") as fh:
            current = int(fh.read().strip())
        if limit != "max":
            room = int(limit) - current
            avail = room if avail is None else min(avail, room)
    except (OSError, ValueError):
        pass
    return avail


def _pauli_masks(op) -> set[int]:
    out = set()
    for key in op.terms:
        mask = 0
        for site, p in key:
            if p in ("X", "Y"):
                mask |= 1 << site
        out.add(mask)
    return out


def generator_nnz_bound(net: QuantumNetwork) -> int:
    r"""An upper bound of the non-zeros of the :math:`4^n\times4^n` Liouvillian, without
    building it: a Pauli string moves each basis state to one other (its bit-flip mask), so
    a row of :math:`G\otimes I + I\otimes G^\top` has at most :math:`2\times` (number of
    distinct masks of :math:`G = H - \frac i2\sum\gamma L^\dagger L`) entries, one of
    :math:`L\otimes\bar L` at most (masks of :math:`L`)\ :sup:`2`, the SWAPs one per edge
    plus the diagonal.  Uses the actual matrices when the network has built them."""
    local = net._memo.peek("local numeric")
    swap = net._memo.peek("swap numeric")
    if local is not None and swap is not None:
        return int(local.nnz + swap.nnz)
    g_masks = set(_pauli_masks(net.hamiltonian))
    jump_rows = 0
    for _, l_op in net.jumps:
        masks = _pauli_masks(l_op)
        jump_rows += len(masks) ** 2
        g_masks |= {a ^ b for a in masks for b in masks}
    row = 2 * len(g_masks) + jump_rows + len(net.graph.edges) + 1
    d2 = net.dim**2
    return int(min(row, d2) * d2)


def distinct_steps(times: np.ndarray) -> int:
    """Distinct non-zero time steps of ``times`` (equal within relative round-off), i.e. the
    dense propagators ``method="dense"`` computes for them."""
    steps = np.diff(np.concatenate([[0.0], np.asarray(times, dtype=float)]))
    steps = np.sort(steps[steps > 0])
    if not steps.size:
        return 0
    return 1 + int(np.count_nonzero(np.diff(steps) > 1e-13 * steps[1:]))


def estimate_memory(
    prop,
    method: str,
    n_times: int,
    outputs: int,
    krylov_dim: int | None,
    n_steps: int | None = None,
) -> dict[str, int]:
    """Bytes a simulation with the :class:`~blendsym.numeric.propagator.NetworkPropagator`
    ``prop`` would hold at its peak, by part: ``"outputs"`` (what ``observe``
    keeps, ``outputs`` bytes, computed by the caller), ``"state"`` (initial state and work
    vectors), ``"generator"`` (the form the method needs, with its work space: for
    ``"dense"`` the dense real Liouvillian, ``expm``'s work space of about seven matrices
    and the ``n_steps`` propagators it keeps, at most
    :data:`~blendsym.numeric.propagator.PROPAGATOR_CACHE_SIZE`) and ``"total"``."""
    from .propagator import PROPAGATOR_CACHE_SIZE, krylov_dimension

    d2 = prop.dim**2
    n = prop.n
    parts: dict[str, int] = {"outputs": int(outputs), "state": 6 * 16 * d2}
    if method == "dense":
        steps = min(max(1, n_times if n_steps is None else n_steps), PROPAGATOR_CACHE_SIZE)
        parts["generator"] = (8 + steps) * 8 * d2 * d2
    elif method in ("krylov", "matrix_free"):
        m = krylov_dimension(n) if krylov_dim is None else int(krylov_dim)
        basis = (m + 2) * 8 * d2
        if method == "krylov":
            nnz = generator_nnz_bound(prop.network)
            # complex parts (16 + 4 bytes), their real forms and the combined real CSR
            # (8 + 4 bytes each; the real forms may split an entry in two)
            parts["generator"] = basis + nnz * (20 + 2 * 12 + 2 * 12)
        else:
            parts["generator"] = basis + 6 * 8 * d2
    else:  # expm_multiply: complex CSR and its adjoint, work vectors, every state at once
        nnz = generator_nnz_bound(prop.network)
        parts["generator"] = nnz * 20 * 3 + 12 * 16 * d2 + n_times * 16 * d2
    parts["total"] = sum(parts.values())
    return parts
