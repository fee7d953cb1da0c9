r"""Density operators: validation, basis and product states, partial traces, Bloch vectors.

A density operator is Hermitian, positive semidefinite and of trace one (Section 2.1).
Exact (SymPy) input is checked exactly, positivity with the structure-first method of
:mod:`blendsym.model.positivity` (tensor factors, blocks, then an exact elimination);
floating-point input within a tolerance.  Sizes: exact states and the exact states built
here (``ket``, ``basis_state``, ``product_state``) have at most
:data:`~blendsym.limits.EXACT_DENSE_ENTRIES` entries (:math:`n\le 8`), numeric ones at most
:data:`~blendsym.limits.NUMERIC_DENSE_QUBITS` qubits; beyond, a
:class:`~blendsym.errors.SizeLimitError` says what the request would take.

The reduced state of qubit :math:`j` (Section 4.1) is the partial trace over all other
qubits, :math:`\rho_j = \mathrm{Tr}_{\otimes_{k\neq j}\mathcal H_k}(\rho)`.

Bloch vectors, two conventions (DESIGN.md):

* ``"standard"``: :math:`\rho = \tfrac12 (I + r_x\sigma_x + r_y\sigma_y + r_z\sigma_z)`,
  :math:`r_a = \mathrm{tr}(\rho\,\sigma_a)`;
* ``"paper"`` (footnote 1, used for Fig. 3):
  :math:`\rho = \tfrac12 I + x\sigma_x + y\sigma_y + z\sigma_z`, i.e. :math:`x = r_x/2`.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable, Sequence

import numpy as np
import scipy.linalg
import scipy.sparse as sp
import sympy

from .._validate import (
    as_square_matrix,
    check_choice,
    check_limit,
    check_qubits,
    check_real,
    check_scalar,
    check_site,
    describe,
    is_number_like,
    qubits_of_dim,
)
from ..errors import InvalidArgumentError, InvalidStateError
from ..io.qutip import as_state
from .conventions import SIGMA_X, SIGMA_Y, SIGMA_Z
from .positivity import exact_psd_violation

__all__ = [
    "ket",
    "bra",
    "basis_state",
    "product_state",
    "validate_density",
    "is_density",
    "partial_trace",
    "reduced_state",
    "reduced_states",
    "bloch_vector",
    "state_from_bloch",
    "n_qubits_of",
    "DEFAULT_TOL",
]

#: Tolerance for floating-point checks of density operators.
DEFAULT_TOL = 1e-9

_S2 = 1 / sympy.sqrt(2)
_KET_CHARS = {
    "0": (sympy.Integer(1), sympy.Integer(0)),
    "1": (sympy.Integer(0), sympy.Integer(1)),
    "+": (_S2, _S2),
    "-": (_S2, -_S2),
}


def _check_bits(bits) -> str:
    if not isinstance(bits, str) or not bits or any(c not in _KET_CHARS for c in bits):
        raise InvalidArgumentError(
            "bits must be a non-empty string of the characters '0', '1', '+', '-': "
            f"found {describe(bits)}"
        )
    return bits


def ket(bits: str) -> sympy.Matrix:
    r"""The exact column vector :math:`|q_1 q_2\dots q_n\rangle`; characters ``0 1 + -``.

    ``ket("001")`` is the basis vector with index :math:`l = 1`.  At most
    :data:`~blendsym.limits.EXACT_DENSE_ENTRIES` entries (:math:`n\le16`).
    """
    bits = _check_bits(bits)
    n = len(bits)
    check_limit(
        2**n if n < 200 else float("inf"),
        "EXACT_DENSE_ENTRIES",
        f"bits: the exact vector |{bits[:20]}{'...' if n > 20 else ''}> on n = {n} qubits has "
        "2^n entries",
    )
    amps = {0: sympy.Integer(1)}  # index -> amplitude, built qubit by qubit
    for c in bits:
        a0, a1 = _KET_CHARS[c]
        nxt = {}
        for l, a in amps.items():
            if a0 != 0:
                nxt[2 * l] = a * a0
            if a1 != 0:
                nxt[2 * l + 1] = a * a1
        amps = nxt
    v = sympy.zeros(2**n, 1)
    for l, a in amps.items():
        v[l, 0] = a
    return v


def bra(bits: str) -> sympy.Matrix:
    r"""The row vector :math:`\langle q_1\dots q_n|`."""
    return ket(bits).H


def _check_dense_exact(n: int, what: str) -> None:
    check_limit(
        4**n if n < 200 else float("inf"),
        "EXACT_DENSE_ENTRIES",
        f"{what}: an exact 2^{n} x 2^{n} matrix has 4^{n} entries; for n > 8 use NumPy "
        "(product_state of NumPy factors) or the qubit-by-qubit functions of Section 4",
    )


def basis_state(bits: str) -> sympy.Matrix:
    r"""The pure density operator :math:`|q\rangle\langle q|` (exact, :math:`n\le 8`)."""
    bits = _check_bits(bits)
    _check_dense_exact(len(bits), f"basis_state({bits[:20]!r}{'...' if len(bits) > 20 else ''})")
    v = ket(bits)
    return v * v.H


def product_state(*factors, lazy: bool | None = None):
    r""":math:`\rho_1\otimes\rho_2\otimes\cdots` of single-qubit density operators.

    Each factor may be a 2x2 matrix or a string accepted by :func:`basis_state`.
    The result is exact when every factor is exact (:math:`n\le 8`), NumPy otherwise
    (:math:`n\le` :data:`~blendsym.limits.NUMERIC_DENSE_QUBITS`).  Each factor is validated
    as a density operator, so the product needs no further check.  A string of several
    characters stands for that many single-qubit factors (``product_state("01")`` is
    :math:`|0\rangle\langle0|\otimes|1\rangle\langle1|`).

    ``lazy``: ``True`` returns a :class:`~blendsym.ProductState` that keeps the factors (no
    :math:`2^n\times2^n` matrix; what :meth:`BlendedCoherent.initial_state` takes at any
    :math:`n`); ``None`` (default) does so only for more than
    :data:`~blendsym.model.structured_states.DENSE_MAX_QUBITS` qubits.
    """
    from .structured_states import DENSE_MAX_QUBITS, ProductState

    if len(factors) == 1 and isinstance(factors[0], list | tuple):
        factors = tuple(factors[0])
    if not factors:
        raise InvalidArgumentError("product_state needs at least one factor")
    single: list = []
    for f in factors:
        if isinstance(f, str):
            bits = _check_bits(f)
            single.extend(basis_state(c) for c in bits)
        else:
            single.append(f)
    if lazy or (lazy is None and len(single) > DENSE_MAX_QUBITS):
        return ProductState(single)
    mats = [validate_density(m, name=f"factor {i + 1}", n=1) for i, m in enumerate(single)]
    n = len(mats)
    if all(isinstance(m, sympy.MatrixBase) for m in mats):
        _check_dense_exact(n, f"product_state of {n} exact factors")
        out = sympy.kronecker_product(*mats) if len(mats) > 1 else sympy.Matrix(mats[0])
        # expanded entries keep exact states in a fast domain (e.g. Gaussian rationals)
        return out.applyfunc(lambda e: e if e.is_Number else sympy.expand(e))
    check_qubits(n, "product_state (qubits)", limit="NUMERIC_DENSE_QUBITS")
    out = np.array([[1.0 + 0j]])
    for m in mats:
        out = np.kron(out, _to_numpy(m))
    return out


# ---------------------------------------------------------------------- validation


def _to_numpy(m) -> np.ndarray:
    if isinstance(m, sympy.MatrixBase):
        if m.free_symbols:
            raise InvalidStateError(
                f"state has free symbols {sorted(map(str, m.free_symbols))}; substitute values"
            )
        return np.array(m.evalf().tolist(), dtype=complex)
    if sp.issparse(m):
        return m.toarray().astype(complex)
    return np.asarray(m, dtype=complex)


def n_qubits_of(rho, name: str = "rho") -> int:
    """Number of qubits of a square ``2^n x 2^n`` matrix (raises otherwise)."""
    rho = as_state(rho, name)
    try:
        shape = rho.shape if hasattr(rho, "shape") else np.shape(rho)
    except (TypeError, ValueError):
        raise InvalidStateError(
            f"{name} must be a rectangular matrix: found {describe(rho)}"
        ) from None
    if len(shape) != 2 or shape[0] != shape[1]:
        raise InvalidStateError(f"{name} must be a square matrix: found shape {tuple(shape)}")
    d = int(shape[0])
    n = d.bit_length() - 1
    if d < 2 or 2**n != d:
        raise InvalidStateError(
            f"{name} must be 2^n x 2^n for some n >= 1: found shape {tuple(shape)}"
        )
    return n


def _is_exact_matrix(m) -> bool:
    vals = m.todok().values() if hasattr(m, "todok") else m.values()
    return isinstance(m, sympy.MatrixBase) and not any(e.has(sympy.Float) for e in vals)


def validate_density(rho, name: str = "rho", tol: float = DEFAULT_TOL, n: int | None = None):
    r"""Check that ``rho`` is a density operator and return it (SymPy or NumPy).

    Exact input (a SymPy matrix without floats, :math:`n\le 8`): :math:`\rho = \rho^\dagger`
    and :math:`\mathrm{tr}\rho = 1` exactly, and :math:`\rho\succeq0` exactly
    (:func:`blendsym.model.positivity.exact_psd_violation`: tensor factors and blocks first,
    then an exact :math:`LDL^\dagger` elimination of what is left, each block at most
    :data:`~blendsym.limits.EXACT_POSITIVITY_BLOCK` wide).  Returns a dense SymPy matrix with
    expanded entries.  Float input (NumPy, nested lists, SciPy sparse, SymPy with floats):
    the same within ``tol`` (:math:`\lambda_{\min} \ge -\mathrm{tol}`), returns a complex
    NumPy array.  ``n``, when given, is the expected number of qubits.
    """
    tol = check_real(tol, "tol", nonnegative=True)
    rho = as_state(rho, name)
    if not isinstance(rho, sympy.MatrixBase | np.ndarray | list | tuple) and not sp.issparse(rho):
        raise InvalidStateError(
            f"{name} must be a matrix (SymPy, NumPy or nested lists): found {type(rho).__name__}"
        )
    if n is not None:
        n = check_qubits(n, "n")
        shape = getattr(rho, "shape", None)
        if shape is not None and tuple(shape) != (2**n, 2**n) and len(shape) == 2:
            if shape[0] == shape[1] and shape[0] >= 2 and shape[0] & (shape[0] - 1) == 0:
                raise InvalidStateError(
                    f"{name} must be {2**n} x {2**n} for n = {n} qubits: found shape {tuple(shape)}"
                )
    kind, m, nq = as_square_matrix(rho, name, error=InvalidStateError)
    if n is not None and nq != n:
        raise InvalidStateError(
            f"{name} must be {2**n} x {2**n} for n = {n} qubits: found shape {tuple(m.shape)}"
        )
    if kind == "sympy":
        if m.free_symbols:
            raise InvalidStateError(
                f"{name} has free symbols {sorted(map(str, m.free_symbols))}: a state must be numeric"
            )
        if _is_exact_matrix(m):
            _check_dense_exact(nq, f"{name} (exact)")
            dense = _expanded(m)
            _validate_exact(dense, nq, name)
            return dense
        arr = _to_numpy(m)
        if not np.all(np.isfinite(arr)):
            raise InvalidStateError(f"{name} has NaN or infinite entries")
        _validate_numeric(arr, name, tol)
        return arr
    _validate_numeric(m, name, tol)
    return m


def _expanded(m: sympy.MatrixBase) -> sympy.Matrix:
    """A dense copy with expanded entries (numbers are left as they are)."""
    d = m.shape[0]
    flat = [sympy.S.Zero] * (d * d)
    memo: dict = {}  # structured states repeat few distinct values
    for (i, j), v in m.todok().items():
        if not v.is_Number:
            if v not in memo:
                memo[v] = sympy.expand(v)
            v = memo[v]
        flat[i * d + j] = v
    return sympy.Matrix(d, d, flat)


def _validate_numeric(arr: np.ndarray, name: str, tol: float) -> None:
    herm = np.abs(arr - arr.conj().T).max()
    if herm > tol:
        raise InvalidStateError(f"{name} is not Hermitian: max |rho - rho^dagger| = {herm:.3g}")
    tr = np.trace(arr)
    if abs(tr - 1) > tol:
        raise InvalidStateError(
            f"{name} must have trace one: found trace {tr.real:.6g}"
            + (f"{tr.imag:+.3g}i" if abs(tr.imag) > tol else "")
        )
    h = (arr + arr.conj().T) / 2
    if tol > 0:
        # fast path: lambda_min(h) > -tol iff h + tol I is positive definite (Cholesky, d^3/3)
        try:
            scipy.linalg.cholesky(h + tol * np.eye(h.shape[0]), lower=True, check_finite=False)
            return
        except np.linalg.LinAlgError:
            pass
    ev = np.linalg.eigvalsh(h)
    if ev.min() < -tol:
        raise InvalidStateError(
            f"{name} is not positive semidefinite: smallest eigenvalue {ev.min():.3g}"
        )


def _validate_exact(m: sympy.Matrix, n: int, name: str) -> None:
    entries = m.todok()
    worst = None
    for (i, j), v in entries.items():
        if i > j:
            continue
        diff = v - sympy.conjugate(entries.get((j, i), sympy.Integer(0)))
        if diff != 0 and (diff.is_Number or sympy.simplify(diff) != 0):
            mag = abs(complex(diff))
            worst = mag if worst is None else max(worst, mag)
    for (i, j), v in entries.items():  # entries whose mirror is zero
        if i > j and (j, i) not in entries and v != 0:
            mag = abs(complex(v))
            worst = mag if worst is None else max(worst, mag)
    if worst is not None:
        raise InvalidStateError(f"{name} is not Hermitian: max |rho - rho^dagger| = {worst:.3g}")
    tr = sympy.Add(*[v for (i, j), v in entries.items() if i == j])
    if tr != 1 and (tr.is_Number or sympy.simplify(tr) != 1):
        raise InvalidStateError(f"{name} must have trace one: found trace {tr}")
    why = exact_psd_violation(dict(entries), n, name)
    if why is not None:
        ev = np.linalg.eigvalsh(_to_numpy(m)) if n <= 10 else None
        smallest = f"smallest eigenvalue {ev.min():.6g}" if ev is not None else why
        raise InvalidStateError(f"{name} is not positive semidefinite: {smallest} ({why})")


def is_density(rho, tol: float = DEFAULT_TOL) -> bool:
    """True when :func:`validate_density` accepts ``rho``."""
    try:
        validate_density(rho, tol=tol)
    except InvalidStateError:
        return False
    return True


# ---------------------------------------------------------------------- partial trace


def _check_qubit(j, n: int, name: str = "j") -> int:
    return check_site(j, n, name)


def _check_keep(keep, n: int) -> list[int]:
    if isinstance(keep, str | bytes) or not isinstance(keep, Iterable):
        raise InvalidArgumentError(
            f"keep must be a sequence of 1-based qubits in 1..{n}: found {describe(keep)}"
        )
    return sorted({_check_qubit(j, n, "keep") for j in keep})


def partial_trace(rho, keep: Sequence[int]):
    r"""Trace out every qubit not in ``keep`` (1-based, kept in increasing order).

    Works on any square :math:`2^n\times 2^n` matrix (not only density operators):
    exact for SymPy input, NumPy otherwise.  Also accepts a stack of matrices of shape
    ``(..., 2^n, 2^n)`` (NumPy).  Entries must be finite numbers.
    """
    rho = as_state(rho, "rho")
    if isinstance(rho, sympy.MatrixBase):
        _, rho, n = as_square_matrix(rho, "rho", error=InvalidStateError)
        keep = _check_keep(keep, n)
        return _partial_trace_exact(rho, n, keep)
    arr = _numeric_stack(rho, "rho")
    n = qubits_of_dim(arr.shape[-1], "rho", error=InvalidStateError)
    keep = _check_keep(keep, n)
    lead = arr.shape[:-2]
    t = arr.reshape(lead + (2,) * (2 * n))
    nl = len(lead)
    # einsum over the traced axes (integer labels: no limit of 52 letters)
    row = list(range(nl, nl + n))
    col = list(range(nl + n, nl + 2 * n))
    for i in range(n):
        if (i + 1) not in keep:
            col[i] = row[i]
    lead_l = list(range(nl))
    out = lead_l + [row[i - 1] for i in keep] + [col[i - 1] for i in keep]
    res = np.einsum(t, lead_l + row + col, out)
    d = 2 ** len(keep)
    return res.reshape(lead + (d, d))


def _numeric_stack(rho, name: str) -> np.ndarray:
    """A finite complex array of shape ``(..., 2^n, 2^n)``."""
    rho = as_state(rho, name)
    if sp.issparse(rho):
        _, arr, _ = as_square_matrix(rho, name, error=InvalidStateError)
        return arr
    if isinstance(rho, str | bytes) or isinstance(rho, sympy.Basic):
        raise InvalidStateError(f"{name} must be a matrix: found {describe(rho)}")
    try:
        arr = np.asarray(rho)
    except (TypeError, ValueError):
        raise InvalidStateError(
            f"{name} must be a rectangular matrix: found {describe(rho)}"
        ) from None
    if arr.ndim < 2:
        raise InvalidStateError(f"{name} must be a matrix: found shape {arr.shape}")
    if arr.shape[-1] != arr.shape[-2]:
        raise InvalidStateError(f"{name} must be a square matrix: found shape {arr.shape}")
    if arr.dtype.kind == "O":
        bad = [x for x in arr.ravel().tolist() if not is_number_like(x)][:1]
        if bad:  # before astype: NumPy turns None into NaN
            raise InvalidStateError(
                f"{name} must be a numeric matrix: found the entry {describe(bad[0])}"
            )
        try:
            arr = arr.astype(complex)
        except (TypeError, ValueError, OverflowError):
            raise InvalidStateError(
                f"{name} must be a numeric matrix: found entries that are not numbers"
            ) from None
    if arr.dtype.kind not in "iufc":
        raise InvalidStateError(f"{name} must be a numeric matrix: found dtype {arr.dtype}")
    if arr.ndim == 2:
        qubits_of_dim(arr.shape[0], name, error=InvalidStateError)
    if not np.all(np.isfinite(arr)):
        raise InvalidStateError(f"{name} must have finite entries: found NaN or infinite entries")
    return arr


def _partial_trace_exact(rho: sympy.MatrixBase, n: int, keep: list[int]) -> sympy.Matrix:
    d = 2 ** len(keep)
    out = sympy.zeros(d, d)
    shifts = [n - j for j in keep]

    def sub_index(l: int) -> int:
        s = 0
        for sh in shifts:
            s = (s << 1) | ((l >> sh) & 1)
        return s

    traced_mask = sum(1 << (n - j) for j in range(1, n + 1) if j not in keep)
    for (a, b), v in rho.todok().items():
        if v == 0 or (a & traced_mask) != (b & traced_mask):
            continue
        out[sub_index(a), sub_index(b)] += v
    return out


def reduced_state(rho, j: int):
    r"""The reduced state :math:`\rho_j` of qubit ``j`` (1-based), a 2x2 matrix."""
    if isinstance(rho, sympy.MatrixBase):
        n = n_qubits_of(rho)
    else:
        n = qubits_of_dim(_numeric_stack(rho, "rho").shape[-1], "rho", error=InvalidStateError)
    j = _check_qubit(j, n)
    return partial_trace(rho, [j])


def reduced_states(rho) -> list:
    """All reduced states ``[rho_1, ..., rho_n]``."""
    n = n_qubits_of(rho)
    return [partial_trace(rho, [j]) for j in range(1, n + 1)]


# ---------------------------------------------------------------------- Bloch vectors


def _check_convention(convention: str) -> float | sympy.Expr:
    check_choice(convention, "convention", ("standard", "paper"))
    return 1 if convention == "standard" else sympy.Rational(1, 2)


def bloch_vector(rho, convention: str = "standard"):
    r"""Bloch vector of a single-qubit operator (or a stack ``(..., 2, 2)`` of them).

    ``"standard"``: :math:`r_a = \mathrm{tr}(\rho\sigma_a)`; ``"paper"``: half of it
    (footnote 1 of the paper).  Exact SymPy input gives a SymPy ``Matrix``; NumPy input
    gives a real array of shape ``(..., 3)``.
    """
    scale = _check_convention(convention)
    if isinstance(rho, sympy.MatrixBase):
        if rho.shape != (2, 2):
            raise InvalidStateError(
                f"rho must be a single-qubit 2x2 matrix: found shape {rho.shape}"
            )
        as_square_matrix(rho, "rho", error=InvalidStateError)
        return sympy.Matrix(
            [sympy.simplify(scale * (rho * s).trace()) for s in (SIGMA_X, SIGMA_Y, SIGMA_Z)]
        )
    if isinstance(rho, str | bytes):
        raise InvalidStateError(f"rho must be a single-qubit 2x2 matrix: found {describe(rho)}")
    try:
        shape = np.shape(rho)
    except (TypeError, ValueError):
        shape = None
    if shape is None or tuple(shape[-2:]) != (2, 2):
        raise InvalidStateError(
            "rho must be a single-qubit 2x2 matrix: found "
            + (f"shape {tuple(shape)}" if shape is not None else describe(rho))
        )
    arr = _numeric_stack(rho, "rho")
    x = 2 * arr[..., 0, 1].real
    y = -2 * arr[..., 0, 1].imag
    z = (arr[..., 0, 0] - arr[..., 1, 1]).real
    return float(scale) * np.stack([x, y, z], axis=-1)


def state_from_bloch(r, convention: str = "standard"):
    r"""The single-qubit operator with Bloch vector ``r`` (inverse of :func:`bloch_vector`):
    :math:`\tfrac12(I + r\cdot\sigma)` (``"standard"``) or :math:`\tfrac12 I + r\cdot\sigma`
    (``"paper"``).

    ``r`` holds three real numbers: exact (integers, rationals, real SymPy expressions) give
    a SymPy matrix, floats a NumPy array.  It is a density operator iff :math:`|r|\le 1`
    (standard convention); that is checked by :func:`validate_density`, not here.
    """
    scale = _check_convention(convention)
    if isinstance(r, str | bytes | dict) or not isinstance(r, Sequence | np.ndarray):
        raise InvalidArgumentError(
            f"r must be a sequence of three real numbers (x, y, z): found {describe(r)}"
        )
    if isinstance(r, np.ndarray) and r.ndim != 1:
        raise InvalidArgumentError(f"r must be a vector of three components: found shape {r.shape}")
    if len(r) != 3:
        raise InvalidArgumentError(f"r must have three components: found {len(r)}")
    comps = [check_scalar(c, f"r[{i}]") for i, c in enumerate(r)]
    for i, c in enumerate(comps):
        if c.is_real is False or (c.is_number and c.is_real is None and sympy.im(c) != 0):
            raise InvalidArgumentError(f"r[{i}] must be real: found {c}")
        if not c.is_number and c.is_real is not True:
            raise InvalidArgumentError(
                f"r[{i}] must be real: found the expression {c} (declare its symbols real)"
            )
    exact = all(
        isinstance(c, sympy.Basic) or isinstance(c, numbers.Rational) for c in r
    ) and not any(c.has(sympy.Float) for c in comps)
    if exact:
        x, y, z = (c / scale for c in comps)
        return (sympy.eye(2) + x * SIGMA_X + y * SIGMA_Y + z * SIGMA_Z) / 2
    x, y, z = (check_real(c, f"r[{i}]") / float(scale) for i, c in enumerate(comps))
    return 0.5 * np.array([[1 + z, x - 1j * y], [x + 1j * y, 1 - z]])
