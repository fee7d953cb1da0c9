"""QuTiP both ways, plots and notebook displays."""

import numpy as np
import pytest

import blendsym as bs
from blendsym.io.qutip import superoperator

qutip = pytest.importorskip("qutip", reason="QuTiP (the qutip extra) is not installed")


def dense(m):
    return np.array(m.evalf().tolist(), dtype=complex)


@pytest.mark.parametrize("which", [bs.paper.example1, bs.paper.example3])
def test_round_trip_against_mesolve(which):
    """to_qutip() + qutip.mesolve from a Qobj state == bs.simulate from the same Qobj."""
    net, rho0 = which()
    r0 = qutip.Qobj(dense(rho0), dims=[[2] * net.n] * 2)
    times = np.linspace(0.0, 1.0, 6)
    h, c_ops = net.to_qutip(kc=3)
    assert len(c_ops) == len(net.jumps) + len(net.graph.edges)
    res = qutip.mesolve(h, r0, times, c_ops=c_ops, options={"atol": 1e-12, "rtol": 1e-10})
    traj = bs.simulate(net, r0, times, kc=3)
    back = traj.to_qutip()
    for s_q, s_b in zip(res.states, back, strict=True):
        assert s_b.dims == [[2] * net.n] * 2
        np.testing.assert_allclose(s_b.full(), s_q.full(), atol=1e-7)


def test_qutip_liouvillian_equals_ours():
    """QuTiP's liouvillian(H, c_ops), converted to row stacking, is net.liouvillian (an
    independent construction of eq. (4))."""
    net, _ = bs.paper.example3()
    h, c_ops = net.to_qutip(kc=2)
    ours = superoperator(net.liouvillian(kc=2, backend="scipy"), net.n)
    np.testing.assert_allclose(qutip.liouvillian(h, c_ops).full(), ours.full(), atol=1e-12)


def test_blended_generators_as_superoperators():
    net, rho0 = bs.paper.example1()
    b = bs.blended_reduced_state(net)
    sb = b.to_qutip()
    assert sb.issuper and sb.dims == [[[2], [2]], [[2], [2]]]
    rho_b0 = b.initial_state(rho0)
    r = qutip.Qobj(dense(rho_b0))
    t = 0.7
    got = qutip.vector_to_operator((t * sb).expm() * qutip.operator_to_vector(r)).full()
    np.testing.assert_allclose(got, b.evolve(rho_b0, [0.0, t])[-1], atol=1e-10)
    c = bs.blended_coherent(net)
    sc = c.to_qutip()
    assert sc.issuper and sc.dims[0] == [[2] * 3, [2] * 3]


def test_qobj_inputs_checked():
    net, rho0 = bs.paper.example1()
    times = [0.0, 0.5]
    with pytest.raises(bs.BlendsymError, match=r"dims \[\[4\], \[4\]\]"):
        bs.simulate(net, qutip.ket2dm(qutip.basis(4, 0)), times, kc=1)
    with pytest.raises(bs.BlendsymError, match="8 x 8"):
        bs.simulate(net, qutip.ket2dm(qutip.basis([2, 2], [0, 0])), times, kc=1)
    with pytest.raises(bs.BlendsymError, match="super"):
        bs.reduced_state(qutip.spre(qutip.sigmax()), 1)
    ket = qutip.basis([2, 2, 2], [0, 1, 1])
    a = bs.simulate(net, ket, times, kc=1).states
    b = bs.simulate(net, bs.basis_state("011"), times, kc=1).states
    np.testing.assert_allclose(a, b, atol=1e-12)
    r = qutip.ket2dm(qutip.tensor(qutip.basis(2, 1), qutip.basis(2, 0)))
    np.testing.assert_allclose(bs.reduced_state(r, 1), [[0, 0], [0, 1]])
    # QuTiP's sigmap() is the paper's sigma_- (and blendsym says so)
    with pytest.warns(bs.QutipConventionWarning, match="sigma_minus"):
        assert bs.from_matrix(qutip.sigmap()) == bs.sigma_minus(1)
    with pytest.warns(bs.QutipConventionWarning, match="jumps"):
        h = bs.QuantumNetwork(1, [], qutip.sigmaz(), [qutip.sigmap()])
    assert h.jumps[0][1] == bs.sigma_minus(1)


def test_trajectory_repr_never_prints_arrays_and_plots():
    mpl = pytest.importorskip("matplotlib", reason="matplotlib (the plot extra) is not installed")
    mpl.use("Agg")
    from matplotlib.figure import Figure

    net, rho0 = bs.paper.example1()
    traj = bs.simulate(net, rho0, np.linspace(0, 1, 5), kc=2)
    text = repr(traj) + traj._repr_html_()
    assert "[[" not in text and "array" not in text and len(repr(traj)) < 100
    fig = traj.plot(net=net, rho0=rho0, eta=0.05, t2=0.5)
    assert isinstance(fig, Figure) and len(fig.axes) == 4
    labels = [s for s in (ln.get_label() for ln in fig.axes[0].lines) if not s.startswith("_")]
    assert labels == ["qubit 1", "qubit 2", "qubit 3"]  # each qubit distinguishable
    names = [ln.get_label() for ln in fig.axes[3].lines]
    assert any("mathcal{P}_*" in s for s in names) and any("rho_b" in s for s in names)
    assert any("rho_r" in s for s in names)
    # the distance to P_* drawn is the one computed independently
    y = fig.axes[3].lines[0].get_ydata()
    pi = [np.linalg.norm(s - bs.permutation_invariant_projection(s)) for s in traj.states]
    np.testing.assert_allclose(y, np.maximum(pi, 1e-16))


def test_notebook_reprs():
    net, _ = bs.paper.example1()
    assert net._repr_latex_().startswith("$$") and r"\mathcal{D}" in net._repr_latex_()
    assert "QuantumNetwork" in net._repr_html_()
    assert bs.sigma_minus(2)._repr_latex_() == r"$\sigma_-^{(2)}$"
    b = bs.blended_reduced_state(net)
    assert b.latex() in b._repr_latex_()
    c = bs.blended_coherent(net)
    assert r"\rho_*" in c._repr_latex_() and "p (components" in c._repr_html_()
    html = b.spectral._repr_html_()
    assert "relaxing" in html and "2/3 = 0.666667" in html
    bound = bs.bounds.theorem1(net, bs.paper.example1()[1], 0.05)
    assert "Theorem 1" in bound._repr_html_()
