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

Eq. (4) as QuTiP's master equation:
:math:`H/\hbar` and ``c_ops`` :math:`\sqrt{\gamma_l}L_l` and :math:`\sqrt{K_ca_{jk}}\,U_{jk}`
(:math:`\mathcal D(U)\rho = U\rho U^\dagger - \rho` for a unitary :math:`U`, which is
QuTiP's Lindblad term of :math:`c = U`).
"""

from __future__ import annotations

import numpy as np

from ..errors import InvalidArgumentError, InvalidStateError

__all__ = [
    "is_qobj",
    "qobj_to_array",
    "to_qobj",
    "network_to_qutip",
    "trajectory_to_qutip",
    "superoperator",
    "SIGMAP_NOTE",
]

#: The sentence the docs and the error messages use about QuTiP's raising/lowering operators.
SIGMAP_NOTE = (
    "QuTiP's sigmap() = [[0,1],[0,0]] is the paper's sigma_- (blendsym.sigma_minus), "
    "and sigmam() the paper's sigma_+"
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
    naming the dims found."""
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
    return arr


def to_qobj(matrix, n: int | None = None):
    """A :math:`2^n\\times2^n` matrix as a ``Qobj`` with qubit dims ``[[2]*n, [2]*n]``."""
    qutip = _qutip()
    arr = np.asarray(matrix.toarray() if hasattr(matrix, "toarray") else matrix, dtype=complex)
    if n is None:
        n = arr.shape[0].bit_length() - 1
    return qutip.Qobj(arr, dims=[[2] * n, [2] * n])


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
