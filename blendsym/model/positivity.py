r"""Exact positivity of Hermitian matrices, using their structure first.

A density operator must be positive semidefinite (Section 2.1).  For an exact (SymPy)
:math:`d\times d` Hermitian matrix :math:`\rho`, :func:`exact_psd_violation` decides
:math:`\rho\succeq 0` exactly, in three stages, each cheaper than the next:

1. **Tensor factors.**  For each qubit :math:`q`, the partial traces
   :math:`\rho_q = \mathrm{Tr}_{\neq q}\rho` and :math:`\rho_{\bar q} = \mathrm{Tr}_q\rho` are
   formed and :math:`\rho = \rho_q\otimes\rho_{\bar q}` is tested entry by entry (exactly, in
   the number field of the entries).  With :math:`\mathrm{tr}\,\rho_q = \mathrm{tr}\,\rho_{\bar q}
   = 1` the eigenvalues of the product are the products :math:`a_ib_j`, so
   :math:`\rho\succeq0` iff both factors are; the factor :math:`\rho_{\bar q}` is split again.
   A product state of :math:`n` qubits thus costs :math:`O(n\,\mathrm{nnz})` field operations
   instead of a :math:`2^n\times2^n` characteristic polynomial.
2. **Blocks.**  The rest is split into the connected components of its non-zero pattern
   (a basis state, a classical mixture and a GHZ state are block diagonal); a
   :math:`1\times1` block is its diagonal entry.
3. **Elimination.**  Each remaining block is decided by a symmetric Gaussian elimination
   with positive pivots (:math:`LDL^\dagger`): pick a diagonal entry :math:`p > 0`, replace
   the block by its Schur complement :math:`A - a a^\dagger/p`; a negative diagonal entry, or
   a non-zero entry in a block whose diagonal is all zero, proves :math:`\rho\not\succeq0`
   (a positive semidefinite matrix with :math:`A_{ii} = 0` has row :math:`i` zero).  For
   rational and Gaussian-rational entries (the usual case) it runs fraction-free on the
   integer matrix :math:`c\,[[A, -B], [B, A]]` of :math:`\rho = A + iB` (Bareiss: every
   entry is a minor, every division exact); otherwise in the number field of the entries.
   That is :math:`O(b^3)` exact operations for a :math:`b\times b` block (about 1 s at
   :math:`b = 64`, 20-40 s at 128), refused beyond
   :data:`blendsym.limits.EXACT_POSITIVITY_BLOCK`.

Arithmetic is done in the domain SymPy constructs for the entries (``QQ``, ``QQ_I``,
algebraic fields :math:`\mathbb Q(\alpha)`; with ``extension=True``), where equality is exact.
The sign of a non-zero pivot is read from a 30-digit (then 200-digit) evaluation, which is
conclusive for a non-zero algebraic number whose magnitude exceeds the evaluation error; a
pivot too small for both is reported as undecidable
(:class:`~blendsym.errors.NotComputableError`).
"""

from __future__ import annotations

import math

from sympy.polys.constructor import construct_domain

from .._validate import check_limit
from ..errors import NotComputableError

__all__ = ["exact_psd_violation"]


def _sign_function(dom):
    """A function ``x -> -1, 0, 1`` giving the sign of a real element of ``dom``."""
    zero = dom.zero
    if dom.is_QQ or dom.is_ZZ:
        return lambda x: 0 if x == zero else (1 if dom.is_positive(x) else -1)
    if dom.is_QQ_I or dom.is_ZZ_I:

        def sign_gauss(x):
            re = x.x
            return 0 if re == 0 else (1 if re > 0 else -1)

        return sign_gauss

    def sign_general(x):
        if x == zero:
            return 0
        e = dom.to_sympy(x)
        for digits, floor in ((30, 1e-25), (200, 1e-190)):
            v = complex(e.evalf(digits)).real
            if abs(v) > floor:
                return 1 if v > 0 else -1
        raise NotComputableError(
            f"cannot decide the sign of the pivot {e} (|value| < 1e-190) in the exact "
            "positivity check"
        )

    return sign_general


def _to_domain(entries: dict):
    """The entries as elements of one exact domain (a field), converting each distinct value
    once."""
    distinct = list(set(entries.values()))
    dom, vals = construct_domain(distinct, extension=True, field=True)
    if not dom.is_Field:  # pragma: no cover - field=True gives a field
        dom = dom.get_field()
        vals = [dom.convert(v) for v in vals]
    conv = dict(zip(distinct, vals, strict=True))
    return dom, {k: conv[v] for k, v in entries.items() if conv[v] != dom.zero}


def _split_qubit(entries: dict, n: int, q: int, dom):
    """``(rho_q, rho_rest)`` when ``rho = rho_q (x) rho_rest`` with qubit ``q`` (1-based) as
    the factor, else ``None``.  ``rho_rest`` keeps the other qubits in their order."""
    shift = n - q
    bit = 1 << shift
    low = bit - 1

    def rest_index(l: int) -> int:
        return ((l >> (shift + 1)) << shift) | (l & low)

    one: dict = {}
    rest: dict = {}
    for (a, b), v in entries.items():
        if (a ^ b) & ~bit == 0:  # equal outside qubit q
            k = ((a >> shift) & 1, (b >> shift) & 1)
            one[k] = one.get(k, dom.zero) + v
        if (a ^ b) & bit == 0:
            k = (rest_index(a), rest_index(b))
            rest[k] = rest.get(k, dom.zero) + v
    one = {k: v for k, v in one.items() if v != dom.zero}
    rest = {k: v for k, v in rest.items() if v != dom.zero}
    if len(one) * len(rest) != len(entries):
        return None
    for (i, j), x in one.items():
        products: dict = {}  # a product state repeats few distinct values
        for (a, b), y in rest.items():
            ra = ((a >> shift) << (shift + 1)) | (i << shift) | (a & low)
            rb = ((b >> shift) << (shift + 1)) | (j << shift) | (b & low)
            xy = products.get(y)
            if xy is None:
                xy = products[y] = x * y
            if entries.get((ra, rb)) != xy:
                return None
    return one, rest


def _blocks(entries: dict, d: int) -> list[list[int]]:
    """Connected components (sorted index lists) of the non-zero pattern, isolated indices
    included."""
    parent = list(range(d))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b in entries:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[ra] = rb
    groups: dict[int, list[int]] = {}
    for i in range(d):
        groups.setdefault(find(i), []).append(i)
    return list(groups.values())


def _integer_embedding(block: list[list], dom) -> list[list[int]] | None:
    r"""For rational or Gaussian-rational entries, the real symmetric integer matrix
    :math:`c\,[[A, -B], [B, A]]` of :math:`H = A + iB` (:math:`c > 0` clears the
    denominators); it is positive semidefinite iff :math:`H` is.  ``None`` for other domains."""
    if dom.is_QQ or dom.is_ZZ:
        parts = [[(dom.numer(x), dom.denom(x), 0, 1) for x in row] for row in block]
    elif dom.is_QQ_I or dom.is_ZZ_I:
        parts = [
            [
                (int(x.x.numerator), int(x.x.denominator), int(x.y.numerator), int(x.y.denominator))
                for x in row
            ]
            for row in block
        ]
    else:
        return None
    den = 1
    for row in parts:
        for _, q1, _, q2 in row:
            den = math.lcm(den, int(q1), int(q2))
    b = len(block)
    re = [[int(p1) * (den // int(q1)) for p1, q1, _, _ in row] for row in parts]
    im = [[int(p2) * (den // int(q2)) for _, _, p2, q2 in row] for row in parts]
    if not any(any(r) for r in im):
        return re
    return [re[i] + [-x for x in im[i]] for i in range(b)] + [im[i] + re[i] for i in range(b)]


def _bareiss_psd(m: list[list[int]]) -> str | None:
    r"""Fraction-free (Bareiss) symmetric elimination with positive pivots on an integer
    symmetric matrix: after pivots :math:`P`, entry :math:`(i, j)` is
    :math:`\det A[P\cup i, P\cup j]`, the Schur complement times :math:`\det A[P,P] > 0`
    (Sylvester's identity), so its diagonal has the signs of the Schur complement's and every
    division is exact.  ``None`` if positive semidefinite, else the reason."""
    active = list(range(len(m)))
    prev = 1
    while active:
        pivot = None
        for i in active:
            if m[i][i] < 0:
                return "a diagonal entry of a Schur complement is negative"
            if m[i][i] > 0 and pivot is None:
                pivot = i
        if pivot is None:
            if any(m[i][j] for i in active for j in active):
                return "a row with zero diagonal entry is not zero"
            return None
        active.remove(pivot)
        p, rowp = m[pivot][pivot], m[pivot]
        for i in active:
            mi, f = m[i], m[i][pivot]
            for j in active:
                mi[j] = (p * mi[j] - f * rowp[j]) // prev
        prev = p
    return None


def _eliminate(block: list[list], dom, sign) -> str | None:
    """``None`` if the Hermitian ``block`` is positive semidefinite, else the reason."""
    ints = _integer_embedding(block, dom)
    if ints is not None:
        return _bareiss_psd(ints)
    active = list(range(len(block)))
    a = block
    while active:
        pivot = None
        for i in active:
            s = sign(a[i][i])
            if s < 0:
                return (
                    f"a diagonal entry of a Schur complement is negative ({dom.to_sympy(a[i][i])})"
                )
            if s > 0 and pivot is None:
                pivot = i
        if pivot is None:
            for i in active:
                for j in active:
                    if a[i][j] != dom.zero:
                        return "a row with zero diagonal entry is not zero"
            return None
        active.remove(pivot)
        p = a[pivot][pivot]
        row = a[pivot]
        for i in active:
            f = a[i][pivot]
            if f == dom.zero:
                continue
            f = f / p
            ai = a[i]
            for j in active:
                if row[j] != dom.zero:
                    ai[j] = ai[j] - f * row[j]
    return None


def exact_psd_violation(entries: dict, n: int, name: str) -> str | None:
    """Decide exactly whether the Hermitian matrix with non-zero ``entries`` ``{(i, j):
    sympy number}`` on ``n`` qubits (trace one) is positive semidefinite: ``None`` if it is,
    else a short reason.  See the module docstring for the method and its limit."""
    if not entries:
        return None
    dom, ent = _to_domain(entries)
    sign = _sign_function(dom)
    factors = []  # 2x2 factors split off, each checked as a block below
    qubits = n
    changed = True
    while changed and qubits > 1:
        changed = False
        for q in range(1, qubits + 1):
            split = _split_qubit(ent, qubits, q, dom)
            if split is not None:
                one, ent = split
                factors.append(one)
                qubits -= 1
                changed = True
                break
    pieces = [(f, 2) for f in factors] + [(ent, 2**qubits)]
    for part, dim in pieces:
        for idx in _blocks(part, dim):
            if len(idx) == 1:
                v = part.get((idx[0], idx[0]), dom.zero)
                if sign(v) < 0:
                    return f"the diagonal entry {dom.to_sympy(v)} is negative"
                continue
            check_limit(
                len(idx),
                "EXACT_POSITIVITY_BLOCK",
                f"{name}: deciding positivity exactly needs the elimination of an entangled "
                f"{len(idx)} x {len(idx)} block ({len(idx) ** 3 // 3:,} exact operations); "
                "pass the state as a NumPy array to check it in double precision",
            )
            pos = {i: k for k, i in enumerate(idx)}
            block = [[dom.zero] * len(idx) for _ in idx]
            for (i, j), v in part.items():
                if i in pos:
                    block[pos[i]][pos[j]] = v
            why = _eliminate(block, dom, sign)
            if why is not None:
                return why
    return None
