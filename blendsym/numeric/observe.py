r"""What :func:`blendsym.simulate` keeps of a trajectory (``observe=``), as QuTiP's
``e_ops`` / ``store_states``.

============================  ===================================================  ==================
``observe``                   kept per output time                                 memory
============================  ===================================================  ==================
``"states"`` (default)        the density operator, :math:`2^n\times2^n`             :math:`16\cdot4^n` B
``"reduced"``                 the :math:`n` reduced :math:`2\times2` states          :math:`64n` B
``[O_1, ..., O_k]``           :math:`\mathrm{tr}(O_i\rho(t))`                         :math:`16k` B
``f`` (callable)              ``f(t, rho)``, anything                              what ``f`` returns
============================  ===================================================  ==================

The propagators hand every output vector to an :class:`Observer` as soon as it is computed
(real coordinates :math:`Y = \operatorname{Re}\rho + \operatorname{Im}\rho`, or the
row-stacked complex :math:`\rho`), and nothing of size ``len(times)`` :math:`\times4^n` is
allocated unless the states are asked for (at ``n = 10`` the 101 states of a trajectory take
1.7 GB).  The reductions work on the coordinates directly:

* reduced states: the partial trace commutes with transposition and with taking real and
  imaginary parts, so with :math:`R_j = \mathrm{Tr}_{k\ne j}Y`,
  :math:`\rho_j = \tfrac12\big((1+i)R_j + (1-i)R_j^\top\big)`; each trace reads the
  :math:`2\cdot2^n` entries with equal indices on the other qubits only;
* expectation values: :math:`\mathrm{tr}(O\rho) = \sum_{ab}O_{ab}\rho_{ba}` with
  :math:`\rho_{ba} = \tfrac12((1+i)Y_{ba} + (1-i)Y_{ab})`, over the non-zeros of :math:`O`
  (real for a Hermitian :math:`O`, as in QuTiP).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import scipy.sparse as sp
import sympy

from ..errors import InvalidArgumentError
from ..model.operators import SiteOperator

__all__ = ["Observer", "OBSERVE_KINDS", "reduced_from_coordinates"]

#: What a :class:`~blendsym.evolve.Trajectory` can hold (its ``observed`` attribute).
OBSERVE_KINDS = ("states", "reduced", "expect", "function")


def reduced_from_coordinates(x: np.ndarray, n: int, real: bool) -> np.ndarray:
    r"""The ``n`` reduced states, shape ``(n, 2, 2)``, of the operator with row-stacked
    coordinates ``x`` (real coordinates ``Y`` if ``real``, else :math:`\mathrm{vec}\,\rho`)."""
    d = 2**n
    mat = np.asarray(x).reshape(d, d)
    out = np.empty((n, 2, 2), dtype=complex)
    for j in range(1, n + 1):
        a, b = 2 ** (j - 1), 2 ** (n - j)
        r = np.einsum("apbaqb->pq", mat.reshape(a, 2, b, a, 2, b))
        if real:
            out[j - 1].real = r + r.T
            out[j - 1].imag = r - r.T
            out[j - 1] *= 0.5
        else:
            out[j - 1] = r
    return out


class _Expectation:
    """One operator's :math:`\\mathrm{tr}(O\\rho)` as a sum over its non-zeros."""

    def __init__(self, op, n: int, name: str):
        d = 2**n
        if isinstance(op, SiteOperator):
            mat = op.to_matrix(n, "scipy")
        elif isinstance(op, sympy.MatrixBase):
            if op.free_symbols:
                raise InvalidArgumentError(
                    f"{name} has free symbols {sorted(map(str, op.free_symbols))}: "
                    "substitute values first"
                )
            mat = sp.coo_matrix(np.array(op.evalf().tolist(), dtype=complex))
        elif sp.issparse(op):
            mat = op
        else:
            try:
                arr = np.asarray(op, dtype=complex)
            except (TypeError, ValueError) as exc:
                raise InvalidArgumentError(
                    f"{name} must be a SiteOperator or a {d} x {d} matrix: found "
                    f"{type(op).__name__}"
                ) from exc
            if arr.ndim != 2:
                raise InvalidArgumentError(
                    f"{name} must be a {d} x {d} matrix: found shape {arr.shape}"
                )
            mat = arr
        if mat.shape != (d, d):
            raise InvalidArgumentError(
                f"{name} must be a {d} x {d} operator (n = {n} qubits): found shape {mat.shape}"
            )
        coo = sp.coo_matrix(mat, dtype=complex)
        coo.sum_duplicates()
        if not np.all(np.isfinite(coo.data)):
            raise InvalidArgumentError(f"{name} must have finite entries: found NaN or inf")
        adj = sp.csr_matrix(coo.conj().T)
        dev = abs(sp.csr_matrix(coo) - adj)
        scale = max(1.0, float(np.abs(coo.data).max()) if coo.nnz else 0.0)
        self.hermitian = (dev.max() if dev.nnz else 0.0) <= 1e-12 * scale
        self.vals = coo.data
        self.idx_ba = coo.col.astype(np.int64) * d + coo.row
        self.idx_ab = coo.row.astype(np.int64) * d + coo.col
        self.nbytes = int(self.vals.nbytes + self.idx_ba.nbytes + self.idx_ab.nbytes)

    def value(self, x: np.ndarray, real: bool) -> complex:
        if real:
            yba, yab = x[self.idx_ba], x[self.idx_ab]
            return complex(0.5 * np.dot(self.vals, (1 + 1j) * yba + (1 - 1j) * yab))
        return complex(np.dot(self.vals, x[self.idx_ba]))


class Observer:
    """Receives every output of a propagation and keeps what ``observe`` asks for.

    Parameters
    ----------
    observe:
        ``"states"``, ``"reduced"``, a list or tuple of operators (SiteOperators or
        :math:`2^n\\times2^n` matrices: NumPy, SciPy sparse or SymPy) or a callable
        ``f(t, rho)``.
    n, times:
        Number of qubits and the output times.
    """

    def __init__(self, observe, n: int, times: np.ndarray):
        self.n = n
        self.d = 2**n
        self.times = times
        self.first_bad: int | None = None
        self.function: Callable | None = None
        self.operators: list[_Expectation] = []
        if isinstance(observe, str):
            if observe not in ("states", "reduced"):
                raise InvalidArgumentError(
                    "observe must be 'states', 'reduced', a list of operators or a function "
                    f"f(t, rho): found {observe!r}"
                )
            self.kind = observe
        elif isinstance(observe, (list, tuple)):
            if not observe:
                raise InvalidArgumentError("observe: the list of operators is empty")
            self.kind = "expect"
            self.operators = [_Expectation(op, n, f"observe[{i}]") for i, op in enumerate(observe)]
        elif callable(observe) and not isinstance(observe, SiteOperator):
            self.kind = "function"
            self.function = observe
        else:
            hint = (
                "; wrap a single operator in a list: observe=[op]"
                if isinstance(observe, (SiteOperator, np.ndarray, sympy.MatrixBase))
                or sp.issparse(observe)
                else ""
            )
            raise InvalidArgumentError(
                "observe must be 'states', 'reduced', a list of operators or a function "
                f"f(t, rho): found {type(observe).__name__}{hint}"
            )

    def output_bytes(self) -> int:
        """Bytes of what is kept (for the memory estimate of :func:`blendsym.simulate`)."""
        count = len(self.times)
        if self.kind == "states":
            return count * 16 * self.d * self.d
        if self.kind == "reduced":
            return count * 64 * self.n
        if self.kind == "expect":
            return count * 16 * len(self.operators) + sum(o.nbytes for o in self.operators)
        return 2 * 16 * self.d * self.d  # the operator handed to f at each time

    def start(self) -> None:
        count = len(self.times)
        if self.kind == "states":
            self.states = np.empty((count, self.d, self.d), dtype=complex)
        elif self.kind == "reduced":
            self.reduced = np.empty((count, self.n, 2, 2), dtype=complex)
        elif self.kind == "expect":
            self.expect = np.empty((count, len(self.operators)), dtype=complex)
        else:
            self.values: list = [None] * count

    def _state(self, y: np.ndarray, real: bool, out: np.ndarray | None = None) -> np.ndarray:
        d = self.d
        if out is None:
            out = np.empty((d, d), dtype=complex)
        if real:
            mat = y.reshape(d, d)
            out.real = mat + mat.T
            out.imag = mat - mat.T
            out *= 0.5
        else:
            out[...] = y.reshape(d, d)
        return out

    def record(self, i: int, y: np.ndarray, real: bool) -> None:
        """Keep what is asked of output ``i`` (``y``: real coordinates or complex vec)."""
        total = complex(np.add.reduce(y))
        if self.first_bad is None and not (math.isfinite(total.real) and math.isfinite(total.imag)):
            self.first_bad = i
        if self.kind == "states":
            self._state(y, real, self.states[i])
        elif self.kind == "reduced":
            self.reduced[i] = reduced_from_coordinates(y, self.n, real)
        elif self.kind == "expect":
            for k, op in enumerate(self.operators):
                self.expect[i, k] = op.value(y, real)
        elif self.function is not None:
            self.values[i] = self.function(float(self.times[i]), self._state(y, real))

    def fields(self) -> dict:
        """Keyword arguments of :class:`~blendsym.evolve.Trajectory` for what was kept."""
        if self.kind == "states":
            return {"states": self.states}
        if self.kind == "reduced":
            return {"reduced_states": self.reduced}
        if self.kind == "expect":
            expect = self.expect
            if all(o.hermitian for o in self.operators):
                expect = expect.real.copy()
            return {"expect": expect}
        return {"values": self.values}
