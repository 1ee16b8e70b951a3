"""The warm-up visitor's report (``scripts/warm_up.py``); its run against a real server is in
``tests/browser/test_warm_up_server.py``."""

from __future__ import annotations

import socket

from atlas import settings

from tests.bench_loader import load_bench_module

warm_up = load_bench_module("warm_up", folder="scripts")


def test_no_server_gives_a_failure_line_not_an_exception():
    """Nobody listening: the warm-up ends with a reason (the server would serve on), and its line says the
    pages load on their first visit."""
    with socket.socket() as sock:  # a port that nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    report = warm_up.warm_up(f"http://127.0.0.1:{port}", timeout=5)
    assert report.visits == [] and report.failure
    line = report.line(0.3)
    assert line.startswith("Standortatlas: nicht vorgewärmt (") and "beim ersten Besuch" in line


def test_report_line_names_every_page_and_each_error():
    report = warm_up.WarmUpReport(visits=[
        warm_up.PageVisit("", 0.84), warm_up.PageVisit("karte", 1.26),
        warm_up.PageVisit("quellen", 0.05, ["Es gibt noch keine aufbereiteten Daten."])])
    first, *errors = report.line(7.44).splitlines()
    assert first == "Standortatlas: 3 Seiten vorgewärmt in 7.4 s: / 0.8 s, /karte 1.3 s, /quellen 0.1 s"
    assert errors == ["Standortatlas: Seite /quellen zeigte beim Vorwärmen einen Fehler: "
                      "Es gibt noch keine aufbereiteten Daten."]


def test_a_new_build_is_warmed_once_it_is_written_completely():
    """While the server runs, every new data build is warmed once – when the version has stayed the same for
    one more look (a build replaces the GeoPackage, then the manifest) – and "no build" never."""
    looks = ["a", "b", "c", "c", "c", "", "", "d", "d"]

    def version() -> str:
        return looks.pop(0)

    warmed = list(warm_up.new_builds(version, wait=lambda: bool(looks), seen="a"))
    assert warmed == ["c", "d"]  # "b" was replaced before the next look; "" is no build
    assert looks == []


def test_the_first_look_is_the_version_seen_when_none_is_given():
    looks = ["a", "a", "a"]
    assert list(warm_up.new_builds(lambda: looks.pop(0), wait=lambda: bool(looks))) == []


def test_every_slide_of_each_prepared_session_is_warmed(tmp_path, monkeypatch):
    """The warm-up also opens every slide of the Sitzungsmodus's prepared sessions (``scripts/serve.py``): a
    presenter opens one by its link and goes on slide by slide. A session file that cannot be read is left to
    the page, which says why."""
    monkeypatch.syspath_prepend(str(settings.PROJECT_ROOT / "scripts"))  # serve.py imports its neighbours
    serve = load_bench_module("serve", folder="scripts")
    (tmp_path / "rat.yaml").write_text(
        'titel: "Synthetische Sitzung (Test)"\nfolien:\n'
        "  - indikator: p_harzt\n    methode: quantile\n    klassen: 5\n"
        "  - indikator: p_grunds\n    methode: quantile\n    klassen: 4\n", encoding="utf-8")
    (tmp_path / "kaputt.yaml").write_text("folien: 3\n", encoding="utf-8")
    assert serve.prepared_sessions(tmp_path) == [  # the link as shared (its first slide), then slide by slide
        ("sitzung", "sitzung=rat"), ("sitzung", "sitzung=rat&nr=1"), ("sitzung", "sitzung=rat&nr=2")]
    assert serve.prepared_sessions(tmp_path / "fehlt") == []


def test_requested_addresses_are_taken_once_bounded_and_forgotten_oldest_first():
    """Links visitors opened without a preview (``scripts/serve.py`` asks): each address once, whatever the
    order of its parameters; at most *waiting* wait and further ones are refused at once; beyond *kept* the
    oldest is forgotten and the server told (it drops that address's recorded map)."""
    forgotten = []
    requested = warm_up.Requested(forget=lambda path, query: forgotten.append((path, query)), kept=3, waiting=2)
    assert requested.ask("profil", "gemeinde=1") and not requested.ask("/profil", "?gemeinde=1")
    assert requested.ask("karte", "b=2&a=1") and not requested.ask("karte", "a=1&b=2")
    assert not requested.ask("karte", "c=3")  # two wait already
    assert requested.next(0.01) == ("profil", "gemeinde=1") and requested.next(0.01) == ("karte", "a=1&b=2")
    assert requested.next(0.01) is None
    assert requested.ask("karte", "c=3") and requested.addresses() == [
        ("profil", "gemeinde=1"), ("karte", "a=1&b=2"), ("karte", "c=3")] and forgotten == []
    assert requested.ask("indikatoren", "indikator=x")
    assert forgotten == [("profil", "gemeinde=1")] and requested.addresses()[0] == ("karte", "a=1&b=2")
    assert requested.next(0.01) == ("karte", "c=3") and requested.next(0.01) == ("indikatoren", "indikator=x")
    assert requested.ask("profil", "gemeinde=1")  # forgotten: taken again when someone opens it again
