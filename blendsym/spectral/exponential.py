r"""Exact matrix exponentials :math:`e^{At}` and solutions :math:`e^{At}x_0` from the Jordan
structure, and numeric propagators."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np
import scipy.linalg
import sympy
from sympy.polys.matrices import DomainMatrix

from ..errors import InvalidArgumentError, NotComputableError
from .analysis import SpectralAnalysis
from .fields import _field_matrix
from .inputs import _as_entry, _as_numeric_matrix
from .roots import IsolatedRoot


def _analysis(A, name: str = "A") -> SpectralAnalysis:
    return A if isinstance(A, SpectralAnalysis) else SpectralAnalysis(A)


def _exp_data(an: SpectralAnalysis, x0=None):
    r"""Exact data of :math:`e^{At}` (or :math:`e^{At}x_0`) from the Jordan structure.

    With the distinct eigenvalues :math:`\lambda_i` and indices :math:`s_i` (largest Jordan
    block), the Frobenius covariants are :math:`P_i = g_i(A)\prod_{j\ne i}(A-\lambda_j)^{s_j}`
    where :math:`g_i` is the Taylor polynomial of degree :math:`s_i-1` of
    :math:`1/\prod_{j\ne i}(x-\lambda_j)^{s_j}` at :math:`\lambda_i`; then
    :math:`e^{At} = \sum_i e^{\lambda_i t}\sum_{j<s_i}\frac{t^j}{j!}(A-\lambda_i)^jP_i`.
    Returns ``[(lambda_i, [C_i0, C_i1, ...])]`` with :math:`C_{ij}` SymPy matrices.
    """
    pairs = an._roots_with_values()
    if an._fm.number_field:
        for _, r in pairs:
            if r.value is not None and r.value.has(sympy.CRootOf, IsolatedRoot):
                raise NotComputableError(
                    f"the eigenvalue {r.value} has no closed form, so e^(At) has no exact closed "
                    "form here: use numeric_propagator"
                )
    lams = [r.value for _, r in pairs]
    idx = [max(f.blocks) for f, _ in pairs]
    n = an.size
    entries = list(an.matrix) + lams + (list(x0) if x0 is not None else [])
    row = sympy.Matrix(1, len(entries), entries)
    try:
        big = _field_matrix(row, "A").dm
        if big.domain.is_EX:
            raise NotComputableError("no exact field")
    except NotComputableError:
        big = DomainMatrix.from_Matrix(row).convert_to(sympy.EX)
    E = big.domain
    flat = [big[0, k].element for k in range(len(entries))]
    a_e = DomainMatrix([flat[i * n : (i + 1) * n] for i in range(n)], (n, n), E)
    lam_e = flat[n * n : n * n + len(lams)]
    if x0 is not None:
        v = DomainMatrix([[e] for e in flat[n * n + len(lams) :]], (n, 1), E)
    else:
        v = DomainMatrix.eye(n, E)
    eye = DomainMatrix.eye(n, E)
    out = []
    for i, (li, si) in enumerate(zip(lam_e, idx, strict=True)):
        # Q_i(A) v = prod_{j != i} (A - l_j)^{s_j} v
        w = v
        for j, (lj, sj) in enumerate(zip(lam_e, idx, strict=True)):
            if j != i:
                for _ in range(sj):
                    w = a_e * w - w * lj
        # Taylor coefficients of 1/Q_i(l_i + u) up to u^(s_i - 1)
        g = _inverse_series(
            [(lj, sj) for j, (lj, sj) in enumerate(zip(lam_e, idx, strict=True)) if j != i],
            li,
            si,
            E,
        )
        # P_i v = sum_k g_k (A - l_i)^k Q_i(A) v
        shift = a_e - eye * li
        pv = w * g[0]
        term = w
        for k in range(1, si):
            term = shift * term
            pv = pv + term * g[k]
        coeffs = []
        term = pv
        for j in range(si):
            if j:
                term = shift * term * (E.one / E(j))
            coeffs.append(term.to_Matrix())
        out.append((lams[i], coeffs))
    return out


def _inverse_series(others, li, si, E):
    """Taylor coefficients (order ``si``) at ``li`` of ``1 / prod (x - l_j)^s_j``."""
    # series of prod (li - l_j + u)^{s_j}, truncated
    ser = [E.one] + [E.zero] * (si - 1)
    for lj, sj in others:
        c = li - lj
        for _ in range(sj):
            new = [E.zero] * si
            for k in range(si):
                new[k] += ser[k] * c
                if k + 1 < si:
                    new[k + 1] += ser[k]
            ser = new
    inv = [E.one / ser[0]] + [E.zero] * (si - 1)
    for k in range(1, si):
        acc = E.zero
        for m in range(1, k + 1):
            acc += ser[m] * inv[k - m]
        inv[k] = -acc / ser[0]
    return inv


def _t_symbol(t):
    if t is None:
        return sympy.Symbol("t", real=True)
    if isinstance(t, sympy.Symbol):
        return t
    if isinstance(t, (bool, np.bool_)):
        raise InvalidArgumentError(f"t must be a SymPy symbol or a real number: found {t!r}")
    try:
        e = sympy.sympify(t, strict=True)
    except (sympy.SympifyError, TypeError) as exc:
        raise InvalidArgumentError(
            f"t must be a SymPy symbol or a real number: found {t!r}"
        ) from exc
    if not (e.is_number and e.is_real and e.is_finite):
        raise InvalidArgumentError(f"t must be a SymPy symbol or a real number: found {t!r}")
    return e


def _assemble(data, t, shape) -> sympy.Matrix:
    r""":math:`\sum_i e^{\lambda_i t}\sum_j t^j C_{ij}` entrywise; a conjugate pair
    :math:`a\pm ib` (:math:`b>0`) is written
    :math:`e^{at}\big((c_++c_-)\cos bt + i(c_+-c_-)\sin bt\big)`, which is real when the
    result is."""
    ts = sympy.Dummy("t", real=True)
    rows, cols = shape
    lams = [lam for lam, _ in data]
    used: set = set()
    groups: list[tuple[int, int | None]] = []
    for i, li in enumerate(lams):
        if i in used:
            continue
        used.add(i)
        partner = None
        if li.is_number and not li.is_real:
            for j in range(i + 1, len(lams)):
                if j not in used and sympy.expand(sympy.conjugate(li) - lams[j]) == 0:
                    partner = j
                    used.add(j)
                    break
        groups.append((i, partner))
    entries = []
    for r in range(rows):
        for c in range(cols):
            total = sympy.S.Zero
            for gi, gj in groups:
                li, ci = data[gi]
                if gj is None:
                    for k, m in enumerate(ci):
                        if m[r, c] != 0:
                            total += m[r, c] * ts**k * sympy.exp(li * ts)
                    continue
                cj = data[gj][1]
                a, b = sympy.expand_complex(li).as_real_imag()
                if b.is_negative:
                    b, ci, cj = -b, cj, ci
                for k in range(max(len(ci), len(cj))):
                    cp = ci[k][r, c] if k < len(ci) else 0
                    cm = cj[k][r, c] if k < len(cj) else 0
                    ccos = sympy.expand(cp + cm)
                    csin = sympy.expand(sympy.I * (cp - cm))
                    if ccos != 0 or csin != 0:
                        total += (
                            ts**k
                            * sympy.exp(a * ts)
                            * (ccos * sympy.cos(b * ts) + csin * sympy.sin(b * ts))
                        )
            entries.append(total)
    out = sympy.Matrix(rows, cols, entries).subs(ts, t)
    if not isinstance(t, sympy.Symbol):
        out = out.applyfunc(sympy.simplify)
    return out


def matrix_exponential(A, t=None) -> sympy.Matrix:
    r"""Exact :math:`e^{At}` as a SymPy matrix in the (real) symbol ``t``.

    Built from the exact Jordan structure through the Frobenius covariants (see
    :func:`_exp_data`), all arithmetic in the number field of the entries and eigenvalues
    (a SymPy expression domain when there are symbols and radicals).  Complex-conjugate
    eigenvalue pairs with conjugate coefficients are written with :math:`\cos`/:math:`\sin`.
    ``A`` may also be a :class:`SpectralAnalysis`.  ``t`` defaults to
    ``Symbol('t', real=True)``; a number gives the exact matrix at that time.

    Raises :class:`NotComputableError` when an eigenvalue has no closed form (``CRootOf``):
    use :func:`numeric_propagator`.
    """
    an = _analysis(A)
    t = _t_symbol(t)
    data = _exp_data(an)
    return _assemble(data, t, (an.size, an.size))


def exact_solution(A, x0, t=None) -> sympy.Matrix:
    r""":math:`e^{At}x_0`, exactly and simplified (see :func:`matrix_exponential`).

    ``x0`` is a vector of length :math:`N` (result: column vector) or, when :math:`N = d^2`,
    a :math:`d\times d` matrix (row-stacked; result: :math:`d\times d` matrix).
    """
    an = _analysis(A)
    t = _t_symbol(t)
    x = _as_exact_matrix_any(x0, "x0")
    n = an.size
    as_matrix = False
    if x.shape == (n, 1) or x.shape == (1, n):
        v = sympy.Matrix(n, 1, list(x))
    else:
        d = math.isqrt(n)
        if d * d == n and x.shape == (d, d):
            v = sympy.Matrix(n, 1, list(x))  # row-major = row stacking
            as_matrix = True
        else:
            raise InvalidArgumentError(
                f"x0 must be a vector of length {n}"
                + (f" or a {d} x {d} matrix" if d * d == n else "")
                + f": found shape {x.shape}"
            )
    data = _exp_data(an, v)
    y = _assemble(data, t, (n, 1))
    if as_matrix:
        d = math.isqrt(n)
        return sympy.Matrix(d, d, list(y))
    return y


def _as_exact_matrix_any(x, name: str) -> sympy.Matrix:
    """Exact SymPy matrix (any shape, 1-D input becomes a column)."""
    if isinstance(x, sympy.MatrixBase):
        m = x
    else:
        try:
            arr = np.asarray(x, dtype=object)
        except ValueError as exc:
            raise InvalidArgumentError(
                f"{name} must be a vector or matrix: found ragged rows"
            ) from exc
        if arr.ndim == 1:
            arr = arr.reshape(-1, 1)
        if arr.ndim != 2 or arr.size == 0:
            raise InvalidArgumentError(
                f"{name} must be a non-empty vector or matrix: found shape {arr.shape}"
            )
        m = sympy.Matrix(
            arr.shape[0], arr.shape[1], [_as_entry(e, name, k) for k, e in enumerate(arr.ravel())]
        )
    entries = [_as_entry(e, name, k) for k, e in enumerate(m)]
    if any(e.has(sympy.Float) for e in entries):
        entries = [sympy.nsimplify(e, rational=True) if e.has(sympy.Float) else e for e in entries]
    return sympy.Matrix(m.shape[0], m.shape[1], entries)


def numeric_propagator(A, x0, params=None) -> Callable[[Sequence[float]], np.ndarray]:
    r"""A callable ``times -> array`` of :math:`e^{At}x_0` (SciPy ``expm``), for comparing with
    :func:`exact_solution`.

    ``A`` is evaluated to a complex NumPy matrix once (symbols substituted from ``params`` and
    the matrix lambdified).  The callable returns an array of shape ``(len(times),) +
    x0.shape``; ``x0`` may be a vector of length :math:`N` or a :math:`d\times d` matrix
    (row-stacked, :math:`N = d^2`).
    """
    a = _as_numeric_matrix(A, "A", params)
    n = a.shape[0]
    try:
        x = np.array(
            sympy.Matrix(x0).evalf(30).tolist() if isinstance(x0, sympy.MatrixBase) else x0,
            dtype=complex,
        )
    except (TypeError, ValueError) as exc:
        raise InvalidArgumentError(
            f"x0 must be a numeric vector or matrix: found {type(x0).__name__}"
        ) from exc
    if not np.all(np.isfinite(x)):
        raise InvalidArgumentError("x0 entries must be finite: found NaN or infinity")
    shape = x.shape
    if x.size != n:
        raise InvalidArgumentError(
            f"x0 must have {n} entries (a vector of length {n} or a square matrix): found shape "
            f"{shape}"
        )
    if x.ndim == 2 and 1 not in shape and shape[0] * shape[1] == n and shape[0] != shape[1]:
        raise InvalidArgumentError(f"x0 must be a vector or a square matrix: found shape {shape}")
    v = x.ravel(order="C")

    def propagate(times) -> np.ndarray:
        ts = np.asarray(times, dtype=float)
        if ts.ndim == 0:
            ts = ts.reshape(1)
        if ts.ndim != 1 or not np.all(np.isfinite(ts)):
            raise InvalidArgumentError(
                f"times must be a 1-D array of finite numbers: found shape {ts.shape}"
            )
        out = np.empty((ts.size, n), dtype=complex)
        for k, tk in enumerate(ts):
            out[k] = scipy.linalg.expm(a * tk) @ v
        return out.reshape((ts.size, *shape))

    return propagate
