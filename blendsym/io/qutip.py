r"""QuTiP both ways: ``qutip.Qobj`` in, ``qutip.Qobj`` out (the ``qutip`` extra).

QuTiP is imported only when a function here needs it; reading a ``Qobj`` that a user passes
never imports anything (its ``dims`` and ``full()`` are used).

Conventions.  QuTiP's ``basis(2, 0)`` is blendsym's :math:`|0\rangle` and tensor products are
ordered alike (qubit 1 leftmost), so matrices carry over unchanged; **QuTiP's** ``sigmap()``
:math:`=\begin{pmatrix}0&1\\0&0\end{pmatrix}` **is the paper's** :math:`\sigma_-`
(:func:`blendsym.sigma_minus`, :math:`\sigma_-|1\rangle = |0\rangle`), and QuTiP's
``sigmam()`` is the paper's :math:`\sigma_+`.  QuTiP
vectorises column-wise, blendsym row-wise (``vec(A X B) = (A ⊗ B^T) vec(X)``): superoperators
are converted by :func:`superoperator` with the commutation permutation.

Because the two names are swapped, an operator ``Qobj`` passed to blendsym that has QuTiP's
``sigmap()`` or ``sigmam()`` as a tensor factor (``sigmap()``, ``sqrt(g) * sigmam()``,
``tensor(sigmap(), qeye(2))``, ...: :func:`ladder_sites`) raises a
:class:`~blendsym.errors.QutipConventionWarning` saying which paper operator it is; the matrix
is used as given.  ``Qobj`` that blendsym itself wrote (:func:`to_qobj`: ``net.to_qutip()``,
``traj.to_qutip()``, ...) are in the paper's convention already and are not warned about when
they come back unchanged (a round trip stays quiet); a new ``Qobj`` computed from them is
checked like any other.

Eq. (4) as QuTiP's master equation:
:math:`H/\hbar` and ``c_ops`` :math:`\sqrt{\gamma_l}L_l` and :math:`\sqrt{K_ca_{jk}}\,U_{jk}`
(:math:`\mathcal D(U)\rho = U\rho U^\dagger - \rho` for a unitary :math:`U`, which is
QuTiP's Lindblad term of :math:`c = U`).
"""

from __future__ import annotations

import os
import sys
import types
import warnings
import weakref

import numpy as np

from ..errors import InvalidArgumentError, InvalidStateError, QutipConventionWarning

__all__ = [
    "is_qobj",
    "qobj_to_array",
    "to_qobj",
    "network_to_qutip",
    "trajectory_to_qutip",
    "superoperator",
    "ladder_sites",
    "SIGMAP_NOTE",
]

#: The sentence the docs and the error messages use about QuTiP's raising/lowering operators.
SIGMAP_NOTE = (
    "QuTiP's sigmap() = [[0,1],[0,0]] is the paper's sigma_- (blendsym.sigma_minus), "
    "and sigmam() the paper's sigma_+"
)


#: id -> weak reference of the ``Qobj`` written by :func:`to_qobj` (not warned about on input).
_OWN: dict[int, weakref.ref] = {}

_PAPER = {
    "sigmap": "qutip.sigmap() = [[0,1],[0,0]] is the paper's sigma_- (blendsym.sigma_minus), "
    "which lowers |1> to |0>; the paper's sigma_+ is qutip.sigmam()",
    "sigmam": "qutip.sigmam() = [[0,0],[1,0]] is the paper's sigma_+ (blendsym.sigma_plus), "
    "which raises |0> to |1>; the paper's sigma_- is qutip.sigmap()",
}


def _remember(q) -> None:
    key = id(q)

    def forget(_ref, key: int = key) -> None:
        _OWN.pop(key, None)

    try:
        _OWN[key] = weakref.ref(q, forget)
    except TypeError:  # pragma: no cover - a Qobj without weak references
        pass


def _is_own(obj) -> bool:
    ref = _OWN.get(id(obj))
    return ref is not None and ref() is obj


def ladder_sites(obj) -> list[tuple[int, str]]:
    r"""The sites (1-based, qubit 1 leftmost) at which the qubit operator ``obj`` (a ``Qobj``
    or a :math:`2^n\times2^n` array) has QuTiP's ``sigmap()`` or ``sigmam()`` as a tensor
    factor: ``[(site, "sigmap" | "sigmam"), ...]``.

    :math:`X = \sum_{a,b}|a\rangle\langle b|_q\otimes R_{ab}` has the factor
    ``sigmap()`` :math:`= |0\rangle\langle1|` at site :math:`q` iff :math:`R_{ab} = 0` for
    :math:`(a,b)\ne(0,1)`, i.e. every non-zero entry :math:`X_{ll'}` has bit :math:`q` of
    :math:`l` equal to 0 and of :math:`l'` equal to 1 (``sigmam()``: 1 and 0).  So
    ``sigmap()``, ``0.3 * sigmam()``, ``tensor(sigmap(), qeye(2))`` and
    ``tensor(sigmap(), sigmaz())`` are found, ``sigmax()`` and ``sigmap() + sigmam()`` are not."""
    arr = np.asarray(obj.full() if is_qobj(obj) else obj)
    if arr.ndim != 2 or arr.shape[0] != arr.shape[1] or arr.shape[0] < 2:
        return []
    d = arr.shape[0]
    n = d.bit_length() - 1
    if 2**n != d:
        return []
    mags = np.abs(arr)
    top = float(mags.max()) if mags.size else 0.0
    if not top > 0:
        return []
    rows, cols = np.nonzero(mags > 1e-14 * top)
    out = []
    for q in range(1, n + 1):
        a = (rows >> (n - q)) & 1
        b = (cols >> (n - q)) & 1
        if np.all((a == 0) & (b == 1)):
            out.append((q, "sigmap"))
        elif np.all((a == 1) & (b == 0)):
            out.append((q, "sigmam"))
    return out


def _user_stacklevel() -> int:
    """The ``stacklevel`` of the first frame outside blendsym (the user's call)."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    level = 1
    frame: types.FrameType | None = sys._getframe(1)
    while frame is not None and os.path.abspath(frame.f_code.co_filename).startswith(root):
        level += 1
        frame = frame.f_back
    return level


def _warn_ladder(obj, arr: np.ndarray, name: str) -> None:
    if _is_own(obj):
        return
    sites = ladder_sites(arr)
    if not sites:
        return
    where = ", ".join(f"{kind}() at site {q}" for q, kind in sites)
    notes = "; ".join(_PAPER[kind] for kind in dict.fromkeys(k for _, k in sites))
    warnings.warn(
        f"{name} is a qutip.Qobj with QuTiP's {where} as a tensor factor: {notes}. The matrix "
        "is used as given (silence with warnings.simplefilter('ignore', "
        "blendsym.QutipConventionWarning))",
        QutipConventionWarning,
        stacklevel=_user_stacklevel(),
    )


def _qutip():
    try:
        import qutip
    except ImportError:
        raise ImportError(
            "this needs QuTiP, which is not installed: pip install 'blendsym[qutip]'"
        ) from None
    return qutip


def is_qobj(obj) -> bool:
    """Whether ``obj`` is a ``qutip.Qobj`` (decided without importing QuTiP)."""
    cls = type(obj)
    return cls.__name__ == "Qobj" and cls.__module__.split(".")[0] == "qutip"


def qobj_to_array(obj, name: str, *, state: bool = False, error=InvalidArgumentError):
    r"""The complex matrix of a ``Qobj`` on qubits, its ``dims`` checked.

    An operator must have ``dims == [[2]*n, [2]*n]``; with ``state=True`` a ket or a bra
    (``dims [[2]*n, [1]*n]``) is also accepted and becomes :math:`|\psi\rangle\langle\psi|`.
    Anything else (superoperators, other local dimensions, ``dims [[4], [4]]``) is refused
    naming the dims found.  An operator with QuTiP's ``sigmap()``/``sigmam()`` as a tensor
    factor raises a :class:`~blendsym.errors.QutipConventionWarning` (not for a ``Qobj``
    written by :func:`to_qobj`)."""
    dims = getattr(obj, "dims", None)
    kind = getattr(obj, "type", None)
    want = (
        "an operator on n qubits (dims [[2]*n, [2]*n]" + (", or a ket/bra" if state else "") + ")"
    )
    note = f" (note: {SIGMAP_NOTE})" if not state else ""
    if kind in ("ket", "bra") and state and dims is not None:
        space = dims[0] if kind == "ket" else dims[1]
        if not space or any(d != 2 for d in space):
            raise error(f"{name} is a qutip.Qobj {kind} with dims {dims}: expected {want}")
        v = np.asarray(obj.full(), dtype=complex).reshape(-1)
        return np.outer(v, v.conj())
    if kind != "oper":
        raise error(f"{name} is a qutip.Qobj of type {kind!r} with dims {dims}: expected {want}")
    if not dims or dims[0] != dims[1] or any(d != 2 for d in dims[0]):
        raise error(
            f"{name} is a qutip.Qobj with dims {dims}: expected {want}; give qubit tensor "
            f"factors, e.g. qutip.Qobj(m, dims=[[2, 2], [2, 2]]){note}"
        )
    arr = np.asarray(obj.full(), dtype=complex)
    if not np.all(np.isfinite(arr)):
        raise error(f"{name} must have finite entries: the qutip.Qobj has NaN or infinite ones")
    if not state:
        _warn_ladder(obj, arr, name)
    return arr


def to_qobj(matrix, n: int | None = None):
    """A :math:`2^n\\times2^n` matrix as a ``Qobj`` with qubit dims ``[[2]*n, [2]*n]``."""
    qutip = _qutip()
    arr = np.asarray(matrix.toarray() if hasattr(matrix, "toarray") else matrix, dtype=complex)
    if n is None:
        n = arr.shape[0].bit_length() - 1
    q = qutip.Qobj(arr, dims=[[2] * n, [2] * n])
    _remember(q)
    return q


def network_to_qutip(net, kc=None):
    r"""``(H, c_ops)`` for ``qutip.mesolve``: eq. (4) of ``net`` at the gain ``kc``.

    ``H`` is :math:`H/\hbar`; ``c_ops`` are :math:`\sqrt{\gamma_l}L_l` for the jumps, then
    :math:`\sqrt{K_ca_{jk}}\,U_{jk}` for the edges (each unordered edge once).  The parameters
    must be numeric (``kc`` is required when :math:`K_c` is a symbol)."""
    from ..model.network import QuantumNetwork
    from ..numeric.propagator import NetworkPropagator

    if not isinstance(net, QuantumNetwork):
        raise InvalidArgumentError(f"net must be a QuantumNetwork: found {type(net).__name__}")
    gain = NetworkPropagator(net, kc).kc  # checks kc and that the model is numeric
    n = net.n
    hbar = net._numeric(net.hbar, "hbar")
    h = to_qobj(net.hamiltonian_matrix("scipy").toarray() / hbar, n)
    c_ops = []
    for i, (g, l_m) in enumerate(net.jump_matrices("scipy")):
        rate = net._numeric(g, f"jumps[{i}] rate").real
        c_ops.append(to_qobj(np.sqrt(rate) * l_m.toarray(), n))
    for j, k, a in net.graph.edges:
        w = float(complex(a).real) * gain
        c_ops.append(to_qobj(np.sqrt(w) * net.swap_operator(j, k, "scipy").toarray(), n))
    return h, c_ops


def trajectory_to_qutip(traj) -> list:
    """The states of a :class:`~blendsym.numeric.evolve.Trajectory` as ``Qobj`` (qubit dims)."""
    return [to_qobj(s, traj.n) for s in traj.states]


def _commutation(d: int) -> np.ndarray:
    """Permutation :math:`K` with :math:`K\\,\\mathrm{vec}_{row}(X) = \\mathrm{vec}_{col}(X)`."""
    idx = np.arange(d * d).reshape(d, d).T.ravel()
    k = np.zeros((d * d, d * d))
    k[np.arange(d * d), idx] = 1.0
    return k


def superoperator(matrix, n: int):
    r"""A row-stacking superoperator (blendsym's convention) as a QuTiP ``super`` ``Qobj``
    (column stacking): :math:`S_{col} = KS_{row}K^\top`."""
    qutip = _qutip()
    arr = np.asarray(matrix.toarray() if hasattr(matrix, "toarray") else matrix, dtype=complex)
    d = 2**n
    if arr.shape != (d * d, d * d):
        raise InvalidArgumentError(
            f"a superoperator on {n} qubits must be {d * d} x {d * d}: found shape {arr.shape}"
        )
    k = _commutation(d)
    return qutip.Qobj(
        k @ arr @ k.T, dims=[[[2] * n, [2] * n], [[2] * n, [2] * n]], superrep="super"
    )


def as_state(obj, name: str):
    """``obj`` as a NumPy density matrix if it is a ``Qobj``, else unchanged."""
    if is_qobj(obj):
        return qobj_to_array(obj, name, state=True, error=InvalidStateError)
    return obj
