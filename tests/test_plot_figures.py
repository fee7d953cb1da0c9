"""The paper's figures and trajectory plots in the style of blendsym.plot: one line per qubit
in distinguishable colours, the eta and T markers where the captions put them, titles that fit.

Everything is read back from the Figure (Line2D data, annotation positions, rendered text
extents on the Agg canvas) and compared with the figure data it was drawn from."""

import math

import numpy as np
import pytest

mpl = pytest.importorskip("matplotlib", reason="matplotlib (the plot extra) is not installed")
mpl.use("Agg")

from matplotlib.colors import to_rgba  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

import blendsym as bs  # noqa: E402
from blendsym import plot as bp  # noqa: E402
from blendsym.paper import figures_section4 as f4  # noqa: E402
from blendsym.paper import figures_section5 as f5  # noqa: E402

KCS = (1.0, 40.0)


@pytest.fixture(scope="module")
def data():
    t = np.linspace(0.0, 10.0, 41)
    return {
        1: f4.figure1_data(kcs=KCS, times=t),
        2: f4.figure2_data(kcs=KCS, times=t),
        3: f4.figure3_data(kc=40.0, times=t),
        6: f5.figure6_data(kcs=KCS, times=t),
        7: f5.figure7_data(kcs=KCS, times=t),
    }


def _data_lines(ax):
    """Lines drawn from data (not markers, not the start/end dots)."""
    return [ln for ln in ax.lines if ln.get_gid() is None]


def _markers(ax, gid):
    return [ln for ln in ax.lines if ln.get_gid() == gid]


def _labels(ax, gid):
    return [t for t in ax.texts if t.get_gid() == gid + "-label"]


def _assert_titles_fit(fig):
    """Every title's rendered extent lies inside the figure (and an axes title inside its
    axes' width); the figure title does not run into the legend."""
    fig.canvas.draw()
    r = fig.canvas.get_renderer()
    width = fig.bbox.width
    sup = fig._suptitle
    titles = [(sup, 0.0, width)] if sup is not None and sup.get_text() else []
    for ax in fig.axes:
        if ax.title.get_text():
            titles.append((ax.title, ax.bbox.x0 - 1, ax.bbox.x1 + 1))
    assert titles
    for text, lo, hi in titles:
        box = text.get_window_extent(r)
        assert lo <= box.x0 and box.x1 <= hi, (text.get_text(), box, lo, hi)
        assert 0 <= box.y0 and box.y1 <= fig.bbox.height
    if sup is not None and fig.legends:
        assert not sup.get_window_extent(r).overlaps(fig.legends[0].get_window_extent(r))


def _assert_fonts(fig):
    """The fonts of blendsym.plot (titles no larger: fit_titles may have shrunk them)."""
    assert fig._suptitle.get_fontsize() <= bp.FONT_SIZES["title"]
    for ax in fig.axes:
        assert ax.title.get_fontsize() <= bp.FONT_SIZES["axes_title"]
        assert ax.xaxis.label.get_fontsize() == bp.FONT_SIZES["label"]
        assert ax.get_xticklabels()[0].get_fontsize() == bp.FONT_SIZES["tick"]
    for t in fig.legends[0].get_texts():
        assert t.get_fontsize() == bp.FONT_SIZES["legend"]


def _assert_eta(ax, eta):
    (line,) = [ln for ln in _markers(ax, "eta") if ln.get_ydata()[0] == eta]
    assert list(line.get_ydata()) == [eta, eta]
    assert list(line.get_xdata()) == [0, 1]  # the whole width (axes coordinates)
    (label,) = [t for t in _labels(ax, "eta") if t.xy[1] == eta]
    assert label.get_text() == rf"$\eta = {eta:g}$"


def _assert_time(ax, name, t):
    (line,) = [ln for ln in _markers(ax, name) if ln.get_xdata()[0] == t]
    assert list(line.get_xdata()) == [t, t] and list(line.get_ydata()) == [0, 1]
    (label,) = [x for x in _labels(ax, name) if x.xy[0] == t]
    assert label.get_text() == f"${name} = {t:g}$"


@pytest.mark.parametrize("k", [1, 2])
def test_figures_1_2_one_panel_per_gain_one_colour_per_qubit(data, k):
    d = data[k]
    fig = (f4.plot_figure1 if k == 1 else f4.plot_figure2)(d)
    assert isinstance(fig, Figure) and len(fig.axes) == len(KCS)
    colours = None
    for a, ax in enumerate(fig.axes):
        assert ax.get_yscale() == "log" and ax.get_title() == f"$K_c = {KCS[a]:g}$"
        lines = _data_lines(ax)
        assert [ln.get_label() for ln in lines] == ["qubit 1", "qubit 2", "qubit 3"]
        here = [to_rgba(ln.get_color()) for ln in lines]
        assert len(set(here)) == 3  # distinguishable
        assert colours is None or here == colours  # the same qubit, the same colour
        colours = here
        for j, ln in enumerate(lines):
            np.testing.assert_array_equal(ln.get_xdata(), d["times"])
            np.testing.assert_array_equal(
                ln.get_ydata(), np.maximum(d["distances"][a, j], bp.FLOOR)
            )
        _assert_eta(ax, 0.01)
        if k == 2:  # the caption's T_2 (the last time) and the text's T_1 = 1
            _assert_time(ax, "T_1", 1.0)
            _assert_time(ax, "T_2", 10.0)
        else:
            assert not _markers(ax, "T_1") and not _markers(ax, "T_2")
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend == ["qubit 1", "qubit 2", "qubit 3"]
    _assert_titles_fit(fig)
    _assert_fonts(fig)


def test_figure_3_bloch_components_and_the_red_green_dots(data):
    d = data[3]
    fig = f4.plot_figure3(d)
    assert len(fig.axes) == 3
    for c, ax in enumerate(fig.axes):
        lines = _data_lines(ax)
        assert len(lines) == 4
        qubits, target = lines[:3], lines[3]
        assert len({to_rgba(ln.get_color()) for ln in qubits}) == 3
        assert to_rgba(target.get_color()) == to_rgba("black") and target.get_linestyle() == "--"
        for k, ln in enumerate(lines):
            np.testing.assert_array_equal(ln.get_ydata(), d["bloch"][k, :, c])
        starts, ends = _markers(ax, "initial"), _markers(ax, "final")
        assert len(starts) == len(ends) == 4
        for k in range(4):
            assert to_rgba(starts[k].get_color()) == to_rgba("red")
            assert to_rgba(ends[k].get_color()) == to_rgba("green")
            assert starts[k].get_xdata()[0] == d["times"][0]
            assert starts[k].get_ydata()[0] == d["bloch"][k, 0, c]
            assert ends[k].get_xdata()[0] == d["times"][-1]
            assert ends[k].get_ydata()[0] == d["bloch"][k, -1, c]
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend[-2:] == ["initial state", "final state"]
    _assert_titles_fit(fig)
    _assert_fonts(fig)


def test_figures_6_7_one_colour_per_gain_and_the_captions_markers(data):
    fig6 = f5.plot_figure6(data[6])
    fig7 = f5.plot_figure7(data[7])
    for fig, d in ((fig6, data[6]), (fig7, data[7])):
        (ax,) = fig.axes
        lines = _data_lines(ax)
        assert [ln.get_label() for ln in lines] == [f"$K_c = {k:g}$" for k in KCS]
        assert len({to_rgba(ln.get_color()) for ln in lines}) == len(KCS)
        for ln, dist in zip(lines, d["distance"], strict=True):
            np.testing.assert_array_equal(ln.get_ydata(), np.maximum(dist, bp.FLOOR))
        _assert_titles_fit(fig)
        _assert_fonts(fig)
    ax6, ax7 = fig6.axes[0], fig7.axes[0]
    _assert_eta(ax6, 0.01)  # Fig. 6: eta = 0.01 and "different given T_2"
    _assert_time(ax6, "T_2", 5.0)
    _assert_time(ax6, "T_2", 10.0)
    for eta in f5.FIGURE7_ETAS:  # Fig. 7: "different given eta"
        _assert_eta(ax7, eta)
    assert len(_markers(ax7, "eta")) == len(f5.FIGURE7_ETAS) and not _markers(ax7, "T_2")
    # a horizon beyond the data is not drawn
    short = dict(data[6], times=data[6]["times"][:21], distance=data[6]["distance"][:, :21])
    assert [ln.get_xdata()[0] for ln in _markers(f5.plot_figure6(short).axes[0], "T_2")] == [5.0]


def test_draw_functions_write_the_figures(data, tmp_path):
    from blendsym.paper.figures import write_figures

    for k, draw in ((1, f4.draw_figure1), (2, f4.draw_figure2), (3, f4.draw_figure3)):
        path = tmp_path / f"f{k}.png"
        assert draw(data[k], path) == path and path.read_bytes()[:4] == b"\x89PNG"
    for k, draw in ((6, f5.draw_figure6), (7, f5.draw_figure7)):
        path = tmp_path / f"f{k}.svg"
        assert draw(data[k], path) == path and b"<svg" in path.read_bytes()[:500]
    assert write_figures.__module__ == "blendsym.paper.figures"


def test_fit_titles_shrinks_then_wraps_without_splitting_math():
    fig, axes = bp.new_figure(1, panel_size=(2.0, 1.6))
    long = " ".join(rf"word{i} $\|\rho_{i}(t) - \rho_b(t)\|_F$" for i in range(5))
    fig.suptitle(long)
    axes[0].set_title(r"a rather long axes title with $K_c = 40$ and $\eta = 0.01$ in it")
    bp.fit_titles(fig)
    sup = fig._suptitle
    assert sup.get_fontsize() == bp.MIN_TITLE_SIZE and "\n" in sup.get_text()
    assert sup.get_text().replace("\n", " ") == long  # nothing lost
    for row in sup.get_text().split("\n"):
        assert row.count("$") % 2 == 0  # a math span is never broken
    _assert_titles_fit(fig)
    # a short title keeps its size
    fig, _ = bp.new_figure(2)
    fig.suptitle("short")
    before = fig._suptitle.get_fontsize()
    bp.fit_titles(fig)
    assert fig._suptitle.get_fontsize() == before and fig._suptitle.get_text() == "short"


def test_qubit_colours_distinct_for_many_qubits():
    for n in (1, 3, 6, 7, 12):
        cs = {to_rgba(bp.qubit_colour(j, n)) for j in range(1, n + 1)}
        assert len(cs) == n
    reserved = {to_rgba("red"), to_rgba("green"), to_rgba(bp.TARGET_COLOUR)}
    assert not reserved & {to_rgba(c) for c in bp.QUBIT_COLOURS}
    assert len(set(map(to_rgba, bp.gain_colours(5)))) == 5


def test_trajectory_plot_several_gains_in_the_same_style():
    net, rho0 = bs.paper.example1()
    t = np.linspace(0.0, 1.0, 11)
    trajs = {kc: bs.simulate(net, rho0, t, kc=kc) for kc in (1.0, 40.0)}
    fig = bp.plot_trajectory(trajs, net, rho0, eta=0.05, t2=0.5, title="blended " * 40)
    assert len(fig.axes) == 4
    for c in range(3):
        lines = _data_lines(fig.axes[c])
        assert len(lines) == 6  # 3 qubits x 2 gains
        for j in range(3):  # qubit j: one colour, one line style per gain
            a, b = lines[j], lines[3 + j]
            assert to_rgba(a.get_color()) == to_rgba(b.get_color())
            assert a.get_linestyle() != b.get_linestyle()
            np.testing.assert_allclose(a.get_ydata(), trajs[1.0].bloch(j + 1)[:, c], rtol=0, atol=0)
        assert len({to_rgba(ln.get_color()) for ln in lines}) == 3
        _assert_time(fig.axes[c], "T_2", 0.5)
    _assert_eta(fig.axes[3], 0.05)
    _assert_time(fig.axes[3], "T_2", 0.5)
    legend = [x.get_text() for x in fig.legends[0].get_texts()]
    assert legend[:5] == ["qubit 1", "qubit 2", "qubit 3", "$K_c=1$", "$K_c=40$"]
    assert any("rho_b" in s for s in legend) and any("mathcal{P}_*" in s for s in legend)
    _assert_titles_fit(fig)  # the 320-character title was fitted
    assert not math.isclose(fig._suptitle.get_fontsize(), bp.FONT_SIZES["title"])


def test_trajectory_plot_bad_input():
    with pytest.raises(bs.errors.InvalidArgumentError, match="traj must be a Trajectory"):
        bp.plot_trajectory([1, 2])


EXAMPLES = __import__("pathlib").Path(__file__).resolve().parents[1] / "docs" / "examples"


def _wootters(rho):
    """Concurrence of a two-qubit state (Wootters), from its own definition."""
    yy = np.kron([[0, -1j], [1j, 0]], [[0, -1j], [1j, 0]])
    rho = rho / np.trace(rho)
    lam = np.sqrt(np.abs(np.linalg.eigvals(rho @ yy @ rho.conj() @ yy)))
    lam = np.sort(lam)[::-1]
    return max(0.0, lam[0] - lam[1] - lam[2] - lam[3])


def _figures_written(monkeypatch):
    """The Figures blendsym saves while the patch is active, in order."""
    saved = []
    real = Figure.savefig

    def savefig(self, *args, **kwargs):
        saved.append(self)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Figure, "savefig", savefig)
    return saved


def test_simulate_coherent_plot_in_the_style_of_simulate_plot(tmp_path, monkeypatch, capsys):
    """``blendsym simulate --coherent --plot`` draws with blendsym.plot: the Bloch components
    in the colour qubit 1 has in ``simulate --plot``, the same fonts and legend, titles that
    fit; the curves are those of the lifted states (full 2^n matrices, an independent
    read-out of the PI coordinates)."""
    from blendsym.cli import main
    from blendsym.io.modelfile import load_model

    model = str(EXAMPLES / "example3.toml")
    saved = _figures_written(monkeypatch)
    coherent, full = tmp_path / "coherent.png", tmp_path / "full.png"
    common = ["--t-final", "2", "--num-times", "9"]
    assert main(["simulate", model, "--coherent", *common, "--plot", str(coherent)]) == 0
    assert main(["simulate", model, "--kc", "5", *common, "--plot", str(full)]) == 0
    assert f"wrote {coherent}" in capsys.readouterr().err
    for path in (coherent, full):
        assert path.read_bytes()[:4] == b"\x89PNG"
    fig, reference = saved
    assert [ax.get_title() for ax in fig.axes] == [
        "$r_x$",
        "$r_y$",
        "$r_z$",
        "two-site concurrence",
        r"purity $\mathrm{tr}\,\rho_*^2$ ($\rho_* = P_d\mathbf{y}_d$)",
    ]
    assert fig._suptitle.get_text() == "Example 3: blended coherent dynamics (Definition 2), n = 3"
    spec = load_model(model)
    times = np.linspace(0.0, 2.0, 9)
    lifted = bs.blended_coherent(spec.net).evolve(spec.rho0, times)
    want_bloch = bs.bloch_vector(np.array([bs.reduced_state(x, 1) for x in lifted]))
    qubit1 = to_rgba(_data_lines(reference.axes[0])[0].get_color())  # simulate --plot
    assert _data_lines(reference.axes[0])[0].get_label() == "qubit 1"
    assert qubit1 == to_rgba(bp.qubit_colour(1, 3))
    for c in range(3):
        (line,) = _data_lines(fig.axes[c])
        assert to_rgba(line.get_color()) == qubit1 and line.get_label() == "every qubit"
        np.testing.assert_array_equal(line.get_xdata(), times)
        np.testing.assert_allclose(line.get_ydata(), want_bloch[:, c], rtol=0, atol=1e-9)
    purity = [np.trace(x @ x).real for x in lifted]
    for ax, name, want in (
        (fig.axes[3], "concurrence", [_wootters(bs.partial_trace(x, [1, 2])) for x in lifted]),
        (fig.axes[4], "purity", purity),
    ):
        (line,) = _data_lines(ax)
        assert to_rgba(line.get_color()) == to_rgba(bp.COHERENT_MEASURE_COLOURS[name])
        np.testing.assert_allclose(line.get_ydata(), want, rtol=0, atol=1e-9)
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["every qubit"]
    assert fig.legends[0]._loc == reference.legends[0]._loc  # outside, on the right
    _assert_titles_fit(fig)
    _assert_fonts(fig)
    _assert_fonts(reference)


def test_plot_coherent_trajectory_one_line_style_per_run():
    """Several runs (n = 4, 6 of Example 3, Kac-normalised, spin-coherent start): the colours
    of blendsym.plot, one line style per run; the Bloch vector read from <J_a>/(n/2) when
    only J_a was evolved equals the marginal's (another functional of the coordinates), and
    the concurrence drawn is Wootters' of the lifted two-site marginal."""
    times = np.linspace(0.0, 1.0, 6)
    rho = 0.5 * np.array([[1.8, 0.6], [0.6, 0.2]])  # Bloch vector (0.6, 0, 0.8)
    runs, marginals, lifted = {}, {}, {}
    for n in (4, 6):
        net, _ = bs.paper.example3(n=n, normalization="kac", coupling=40)
        c = bs.blended_coherent(net)
        state = bs.product_state([rho] * n, lazy=True)
        runs[f"$n = {n}$"] = c.trajectory(
            state, times, observables=["Jx", "Jy", "Jz", "concurrence"], keep_coordinates=False
        )
        marginals[n] = c.trajectory(state, times, observables=["rho1"], keep_coordinates=False)
        lifted[n] = c.evolve(state, times)
    fig = bp.plot_coherent_trajectory(runs, t2=0.5, title="coherent " * 40)
    assert len(fig.axes) == 4  # no purity evolved: no purity panel
    assert fig.axes[3].get_title() == "two-site concurrence"
    for c in range(3):
        lines = _data_lines(fig.axes[c])
        assert len(lines) == 2
        assert {to_rgba(ln.get_color()) for ln in lines} == {to_rgba(bp.qubit_colour(1, 1))}
        assert lines[0].get_linestyle() != lines[1].get_linestyle()
        for ln, n in zip(lines, (4, 6), strict=True):
            want = bs.bloch_vector(marginals[n].observables["rho1"])[:, c]
            np.testing.assert_allclose(ln.get_ydata(), want, rtol=0, atol=1e-10)
        _assert_time(fig.axes[c], "T_2", 0.5)
    concurrence = _data_lines(fig.axes[3])
    for ln, n in zip(concurrence, (4, 6), strict=True):
        want = [_wootters(bs.partial_trace(x, [1, 2])) for x in lifted[n]]
        assert max(want) > 1e-3  # the check is not about zeros
        np.testing.assert_allclose(ln.get_ydata(), want, rtol=0, atol=1e-9)
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend == ["every qubit", "$n = 4$", "$n = 6$"]
    _assert_titles_fit(fig)  # the 360-character title was fitted
    _assert_fonts(fig)
    half = bp.coherent_bloch(runs["$n = 4$"], convention="paper")
    np.testing.assert_allclose(2 * half, bp.coherent_bloch(marginals[4]), rtol=0, atol=1e-10)


def test_plot_coherent_trajectory_bad_input():
    with pytest.raises(bs.errors.InvalidArgumentError, match="traj must be a CoherentTrajectory"):
        bp.plot_coherent_trajectory([1, 2])
    net, rho0 = bs.paper.example3()
    tr = bs.blended_coherent(net).trajectory(rho0, [0.0, 0.1], observables=["purity"])
    with pytest.raises(bs.errors.InvalidArgumentError, match=r"'rho1'.*found observables"):
        bp.plot_coherent_trajectory(tr)
