"""QuTiP's sigmap() is the paper's sigma_-: a Qobj with QuTiP's ladder operators as a tensor
factor raises QutipConventionWarning naming the paper operator; other operators, states and
blendsym's own Qobj round trips stay quiet, and the matrix is used as given."""

import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import blendsym as bs
from blendsym.io.qutip import ladder_sites

qutip = pytest.importorskip("qutip", reason="QuTiP (the qutip extra) is not installed")

PAPER = {"sigmap": "sigma_minus", "sigmam": "sigma_plus"}


def _factor(kind):
    return {"sigmap": qutip.sigmap, "sigmam": qutip.sigmam}[kind]()


def _quiet(fn):
    with warnings.catch_warnings():
        warnings.simplefilter("error", bs.QutipConventionWarning)
        return fn()


@pytest.mark.parametrize("kind", ["sigmap", "sigmam"])
def test_one_qubit_ladder_warns_and_converts_as_given(kind):
    paper = PAPER[kind]
    with pytest.warns(bs.QutipConventionWarning, match=rf"paper's sigma_.*blendsym\.{paper}"):
        op = bs.from_matrix(_factor(kind))
    # the matrix is kept as given: [[0,1],[0,0]] is sigma_minus in the paper's convention
    assert op == getattr(bs, paper)(1)
    np.testing.assert_array_equal(op.to_matrix(1, "scipy").toarray(), _factor(kind).full())


@given(
    n=st.integers(1, 4),
    data=st.data(),
)
def test_tensored_ladder_factor_found_at_its_site(n, data):
    site = data.draw(st.integers(1, n))
    kind = data.draw(st.sampled_from(["sigmap", "sigmam"]))
    others = data.draw(
        st.lists(st.sampled_from(["qeye", "sigmaz", "sigmax"]), min_size=n - 1, max_size=n - 1)
    )
    scale = data.draw(st.sampled_from([1.0, 0.5, 2j, np.sqrt(0.3)]))
    factors = [getattr(qutip, o)(2) if o == "qeye" else getattr(qutip, o)() for o in others]
    factors.insert(site - 1, _factor(kind))
    q = scale * qutip.tensor(*factors) if n > 1 else scale * factors[0]
    found = ladder_sites(q)
    assert (site, kind) in found
    # an independent check of each reported site: the partial factor at that site
    arr = q.full().reshape([2] * (2 * n))
    for s, k in found:
        a, b = (0, 1) if k == "sigmap" else (1, 0)
        rest = np.moveaxis(arr, (s - 1, n + s - 1), (0, 1))
        for x in range(2):
            for y in range(2):
                if (x, y) != (a, b):
                    assert not np.any(rest[x, y])
    with pytest.warns(bs.QutipConventionWarning, match=f"{kind}\\(\\) at site {site}"):
        net = bs.QuantumNetwork(n, [], qutip.tensor(*[qutip.qeye(2)] * n), [q])
    np.testing.assert_allclose(net.jump_matrices("scipy")[0][1].toarray(), q.full(), atol=1e-14)


@pytest.mark.parametrize(
    "make",
    [
        qutip.sigmax,
        qutip.sigmay,
        qutip.sigmaz,
        lambda: qutip.sigmap() + qutip.sigmam(),
        lambda: qutip.sigmap() * qutip.sigmam(),
        lambda: qutip.tensor(qutip.sigmax(), qutip.qeye(2)),
        lambda: (
            qutip.tensor(qutip.sigmap(), qutip.qeye(2))
            + qutip.tensor(qutip.qeye(2), qutip.sigmap())
        ),
        lambda: qutip.qzero([2]),
    ],
)
def test_other_operators_stay_quiet(make):
    q = make()
    assert ladder_sites(q) == []
    _quiet(lambda: bs.from_matrix(q))


def test_states_and_blendsym_round_trips_stay_quiet():
    net = bs.QuantumNetwork(2, [(1, 2)], bs.sigma_z(1), [bs.sigma_minus(1), bs.sigma_plus(2)])
    h, c_ops = net.to_qutip(kc=1)
    assert ladder_sites(c_ops[0]) == [(1, "sigmap")]  # the paper's sigma_- is QuTiP's sigmap()
    back = _quiet(lambda: bs.QuantumNetwork(2, [(1, 2)], h, c_ops[:2]))
    assert back.jumps[0][1] == bs.sigma_minus(1) and back.jumps[1][1] == bs.sigma_plus(2)
    _quiet(lambda: bs.reduced_state(qutip.ket2dm(qutip.basis([2, 2], [0, 1])), 1))
    # a new Qobj computed from blendsym's output is checked like any other
    with pytest.warns(bs.QutipConventionWarning):
        bs.from_matrix(2 * c_ops[0])


def test_warning_points_at_the_callers_line():
    with pytest.warns(bs.QutipConventionWarning) as rec:
        bs.from_matrix(qutip.sigmap())
    assert rec[0].filename == __file__
