r"""Linear algebra and polynomial arithmetic over a prime field :math:`\mathbb F_p`
(:math:`p < 2^{26}`), the steps of the modular engine (:mod:`blendsym.spectral.modular`).

Every function takes and returns plain Python ``int`` (or NumPy ``int64`` arrays with entries in
:math:`[0, p)`), never a SymPy domain element: the engine converts once, at its boundary, so
the same code runs under every SymPy ground type (``python``, ``gmpy``, ``flint``).

Each step has two implementations with identical results (they compute canonical objects: the
reduced row echelon form, the characteristic polynomial, the monic gcd, the sorted roots):

* NumPy (always available): vectorised row operations on ``int64`` arrays -- residues are below
  :math:`2^{26}`, so a product fits in 52 bits and a sum of up to :math:`2^{11}` of them in
  ``int64``;
* python-flint's ``nmod_mat`` / ``nmod_poly`` (FLINT, C), used when python-flint is importable
  (``pip install blendsym[fast]``): 3-10x faster for the matrix steps and 50-300x for the
  polynomial ones (``python -m benchmarks exact_backends``, ``docs/performance.md``).

:data:`BACKEND` names the implementation in use; :func:`use_backend` switches it (tests and
benchmarks compare the two).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import numpy as np

try:  # python-flint: optional (the ``fast`` extra)
    import flint as _flint

    if not all(hasattr(_flint.nmod_mat, m) for m in ("rref", "charpoly")) or not hasattr(
        _flint.nmod_poly, "factor"
    ):  # pragma: no cover - very old python-flint
        _flint = None
except ImportError:  # pragma: no cover - depends on the installation
    _flint = None

__all__ = [
    "BACKEND",
    "FLINT_AVAILABLE",
    "charpoly_mod",
    "gcd_mod",
    "nullspace_mod",
    "rref_mod",
    "split_roots_mod",
    "use_backend",
]

#: Whether python-flint's kernels can be used.
FLINT_AVAILABLE: bool = _flint is not None
#: The implementation in use: ``"flint"`` when python-flint is importable, else ``"numpy"``.
BACKEND: str = "flint" if FLINT_AVAILABLE else "numpy"


@contextlib.contextmanager
def use_backend(name: str) -> Iterator[None]:
    """Run the block with the prime-field kernels of ``name`` (``"numpy"`` or ``"flint"``)."""
    global BACKEND
    if name not in ("numpy", "flint"):
        raise ValueError(f"backend must be 'numpy' or 'flint': found {name!r}")
    if name == "flint" and not FLINT_AVAILABLE:
        raise ImportError("python-flint is not installed (pip install blendsym[fast])")
    old, BACKEND = BACKEND, name
    try:
        yield
    finally:
        BACKEND = old


def _backend(name: str | None) -> str:
    return BACKEND if name is None else name


def _to_nmod_mat(m: np.ndarray, p: int):
    rows, cols = m.shape
    nnz = np.flatnonzero(m)
    if nnz.size * 4 < m.size:  # sparse: set the non-zeros of a zero matrix
        out = _flint.nmod_mat(rows, cols, p)
        vals = m.ravel()[nnz].tolist()
        for k, v in zip(nnz.tolist(), vals, strict=True):
            out[k // cols, k % cols] = v
        return out
    return _flint.nmod_mat(m.tolist(), p)


# ----------------------------------------------------------------------------- matrices


def _rref_numpy(m: np.ndarray, p: int) -> tuple[np.ndarray, list[int]]:
    r = m.copy()
    nrows, ncols = r.shape
    pivots: list[int] = []
    row = 0
    for col in range(ncols):
        if row == nrows:
            break
        nz = np.flatnonzero(r[row:, col])
        if nz.size == 0:
            continue
        piv = row + int(nz[0])
        if piv != row:
            r[[row, piv]] = r[[piv, row]]
        inv = pow(int(r[row, col]), -1, p)
        r[row] = r[row] * inv % p
        f = r[:, col].copy()
        f[row] = 0
        nzr = np.flatnonzero(f)
        if nzr.size:
            r[nzr] = (r[nzr] - f[nzr, None] * r[row][None, :]) % p
        pivots.append(col)
        row += 1
    return r, pivots


def rref_mod(m: np.ndarray, p: int, backend: str | None = None) -> tuple[np.ndarray, list[int]]:
    r"""Reduced row echelon form of ``m`` over :math:`\mathbb F_p`: ``(R, pivots)``."""
    if _backend(backend) == "flint":
        r, rank = _to_nmod_mat(m, p).rref()
        out = np.array([[int(x) for x in row] for row in r.tolist()], dtype=np.int64)
        out = out.reshape(m.shape)
        pivots = [int(np.flatnonzero(out[i])[0]) for i in range(int(rank))]
        return out, pivots
    return _rref_numpy(m, p)


def nullspace_mod(
    m: np.ndarray, p: int, backend: str | None = None
) -> tuple[list[int], np.ndarray]:
    r"""``(pivots, N)``: the pivot columns of the reduced row echelon form :math:`R` of ``m``
    over :math:`\mathbb F_p` and the canonical kernel basis :math:`N` (``n x k``, one column per
    free column :math:`f` in increasing order: :math:`1` at :math:`f`, :math:`-R_{if}` at the
    pivot of row :math:`i`, :math:`0` elsewhere)."""
    n = m.shape[1]
    if _backend(backend) == "flint":
        r, rank = _to_nmod_mat(m, p).rref()
        rank = int(rank)
        pivots: list[int] = []
        col = 0
        for i in range(rank):  # first non-zero of each row: O(n + rank) entry reads
            while int(r[i, col]) == 0:
                col += 1
            pivots.append(col)
            col += 1
        free = [c for c in range(n) if c not in set(pivots)]
        basis = np.zeros((n, len(free)), dtype=np.int64)
        for b, f in enumerate(free):
            basis[f, b] = 1
            for i, pc in enumerate(pivots):
                if pc < f:
                    basis[pc, b] = (-int(r[i, f])) % p
        return pivots, basis
    r, pivots = _rref_numpy(m, p)
    free = [c for c in range(n) if c not in set(pivots)]
    basis = np.zeros((n, len(free)), dtype=np.int64)
    for b, f in enumerate(free):
        basis[f, b] = 1
        for i, pc in enumerate(pivots):
            basis[pc, b] = (-r[i, f]) % p
    return pivots, basis


def _charpoly_numpy(m: np.ndarray, p: int) -> list[int]:
    """Hessenberg reduction, then the recurrence of the leading principal minors (O(n^3))."""
    h = m.copy()
    n = h.shape[0]
    for k in range(1, n - 1):
        nz = np.flatnonzero(h[k:, k - 1])
        if nz.size == 0:
            continue
        i = k + int(nz[0])
        if i != k:
            h[[i, k]] = h[[k, i]]
            h[:, [i, k]] = h[:, [k, i]]
        inv = pow(int(h[k, k - 1]), -1, p)
        u = h[k + 1 :, k - 1] * inv % p
        if not u.any():
            continue
        h[k + 1 :] = (h[k + 1 :] - u[:, None] * h[k][None, :]) % p
        h[:, k] = (h[:, k] + (h[:, k + 1 :] @ u) % p) % p
    polys = [np.array([1], dtype=np.int64)]
    for k in range(1, n + 1):
        prev = polys[k - 1]
        new = np.zeros(k + 1, dtype=np.int64)
        new[:k] = prev
        new[1:] = (new[1:] - h[k - 1, k - 1] * prev) % p
        prod = 1
        for i in range(k - 1, 0, -1):
            prod = prod * int(h[i, i - 1]) % p
            if prod == 0:
                break
            c = int(h[i - 1, k - 1]) * prod % p
            if c:
                q = polys[i - 1]
                new[k + 1 - len(q) :] = (new[k + 1 - len(q) :] - c * q) % p
        polys.append(new)
    return [int(c) for c in polys[n]]


def charpoly_mod(m: np.ndarray, p: int, backend: str | None = None) -> list[int]:
    r""":math:`\det(xI - m)` over :math:`\mathbb F_p` (leading coefficient first)."""
    if _backend(backend) == "flint":
        return [int(c) for c in reversed(_to_nmod_mat(m, p).charpoly().coeffs())]
    return _charpoly_numpy(m, p)


# ----------------------------------------------------------------------------- polynomials


def _strip(f: list[int]) -> list[int]:
    k = 0
    while k < len(f) and f[k] == 0:
        k += 1
    return f[k:]


def _gcd_python(f: list[int], g: list[int], p: int) -> list[int]:
    """Euclid's algorithm on coefficient lists (leading first); monic result."""
    a, b = _strip([x % p for x in f]), _strip([x % p for x in g])
    while b:
        inv = pow(b[0], -1, p)
        while len(a) >= len(b) and a:
            c = a[0] * inv % p
            a = _strip(
                [(x - c * y) % p for x, y in zip(a, b + [0] * (len(a) - len(b)), strict=True)]
            )
        a, b = b, a
    if not a:
        return []
    inv = pow(a[0], -1, p)
    return [x * inv % p for x in a]


def gcd_mod(f: list[int], g: list[int], p: int, backend: str | None = None) -> list[int]:
    r"""Monic :math:`\gcd(f, g)` over :math:`\mathbb F_p` (coefficient lists, leading first;
    ``[]`` for two zero polynomials)."""
    if _backend(backend) == "flint":
        h = _flint.nmod_poly([int(c) for c in reversed(f)], p).gcd(
            _flint.nmod_poly([int(c) for c in reversed(g)], p)
        )
        out = [int(c) for c in reversed(h.coeffs())]
        if out and out[0] != 1:  # FLINT returns the gcd monic; normalise defensively
            inv = pow(out[0], -1, p)
            out = [c * inv % p for c in out]
        return out
    return _gcd_python([int(c) for c in f], [int(c) for c in g], p)


def _pow_mod_numpy(base: list[int], e: int, f: list[int], p: int) -> list[int]:
    r""":math:`\mathrm{base}^e \bmod f` over :math:`\mathbb F_p` for monic ``f`` of degree
    :math:`D\ge1` (coefficient lists, leading first; result of length :math:`D`): square and
    multiply, each product (``numpy.convolve`` on ``int64``) reduced by one matrix product with
    the table of :math:`x^k \bmod f`, :math:`D\le k\le 2D-2`."""
    d = len(f) - 1
    table = np.zeros((max(d - 1, 1), d), dtype=np.int64)  # table[j] = x^(D + j) mod f
    cur = [(-c) % p for c in f[1:]]  # x^D mod f
    for j in range(d - 1):
        table[j] = cur
        lead = cur[0]
        cur = [(a - lead * c) % p for a, c in zip(cur[1:] + [0], f[1:], strict=True)]

    def reduce(c: np.ndarray) -> np.ndarray:  # c: length 2D - 1, leading first
        high, low = c[: d - 1], c[d - 1 :]  # high[::-1][j]: coefficient of x^(D + j)
        return (low + (high[::-1] @ table[: d - 1]) % p) % p

    b = [int(c) % p for c in base]
    if d == 1 or len(b) > 2 * d - 1:  # pragma: no cover - callers pass short bases, D >= 2
        raise ValueError("_pow_mod_numpy needs deg f >= 2 and len(base) < 2 deg f")
    x = np.zeros(2 * d - 1, dtype=np.int64)
    x[len(x) - len(b) :] = b
    cur_b = reduce(x)
    result = np.zeros(d, dtype=np.int64)
    result[-1] = 1 % p
    while e:
        if e & 1:
            result = reduce(np.convolve(result, cur_b) % p)
        e >>= 1
        if e:
            cur_b = reduce(np.convolve(cur_b, cur_b) % p)
    return [int(c) for c in result]


def _divmod_python(f: list[int], g: list[int], p: int) -> tuple[list[int], list[int]]:
    """Quotient and remainder of ``f`` by ``g`` (non-zero leading coefficient) over F_p."""
    r = [x % p for x in f]
    q = []
    inv = pow(g[0], -1, p)
    while len(r) >= len(g):
        c = r[0] * inv % p
        q.append(c)
        r = [(x - c * y) % p for x, y in zip(r, g + [0] * (len(r) - len(g)), strict=True)][1:]
    return q, _strip(r)


def _split_linear(f: list[int], p: int) -> list[int]:
    r"""Roots of a monic ``f`` that is a product of distinct linear factors over
    :math:`\mathbb F_p` (odd :math:`p`), by equal-degree splitting (Cantor--Zassenhaus with the
    deterministic shifts :math:`a = 0, 1, 2, \dots`):
    :math:`\gcd(f, (x+a)^{(p-1)/2} - 1)` is a proper factor for about half of the shifts."""
    if len(f) == 2:
        return [(-f[1]) % p]
    for a in range(p):
        h = _pow_mod_numpy([1, a], (p - 1) // 2, f, p)
        h[-1] = (h[-1] - 1) % p
        g = _gcd_python(f, _strip(h), p)
        if 1 < len(g) < len(f):
            q, _ = _divmod_python(f, g, p)
            return _split_linear(g, p) + _split_linear(q, p)
    raise ValueError("f is not a product of distinct linear factors")  # pragma: no cover


def split_roots_mod(f: list[int], p: int, backend: str | None = None) -> list[int] | None:
    r"""The :math:`D` distinct roots in :math:`\mathbb F_p` (sorted) of the monic integer
    polynomial ``f`` of degree :math:`D` (leading first) when it splits into distinct linear
    factors modulo :math:`p`, else ``None``.

    :math:`f` splits into distinct linear factors iff :math:`f \mid x^p - x`, tested first
    (cheap); only for such primes are the roots found (FLINT's factorisation, or equal-degree
    splitting, :func:`_split_linear`)."""
    fp = [int(c) % p for c in f]
    d = len(fp) - 1
    if d < 1 or fp[0] != 1:
        return None
    if d == 1:
        return [(-fp[1]) % p]
    if _backend(backend) == "flint":
        poly = _flint.nmod_poly(list(reversed(fp)), p)
        x = _flint.nmod_poly([0, 1], p)
        xp, base, e = _flint.nmod_poly([1], p), x, p
        while e:
            if e & 1:
                xp = (xp * base) % poly
            e >>= 1
            if e:
                base = (base * base) % poly
        if xp != x % poly:
            return None
        _, facs = poly.factor()
        roots = []
        for g, mult in facs:
            if g.degree() != 1 or int(mult) != 1:  # pragma: no cover - excluded by the test
                return None
            c = g.coeffs()  # g = c1 x + c0, monic
            roots.append((-int(c[0])) % p)
        return sorted(roots) if len(roots) == d else None
    xp = _pow_mod_numpy([1, 0], p, fp, p)
    target = [0] * d
    target[-2] = 1
    if xp != target:
        return None
    return sorted(_split_linear(fp, p))
