"""`atlas fahrplan`: sources text and the GTFS download with the network replaced by SYNTHETIC files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from atlas.cli import main
from atlas.download import transit as dt_
from atlas.errors import SourceError
from tests.fixtures import synthetic_gtfs as syn


def test_sources_listed(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fahrplan", "--quellen"]) == 0
    out = capsys.readouterr().out
    assert "https://download.gtfs.de/germany/nv_free/latest.zip" in out
    assert "db-hafas-stations-2.0.0.tgz" in out and "Mobilithek" in out and "keine feste Download-Adresse" in out


def test_download_checks_the_feed_and_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    good = syn.write_feed(tmp_path / "gut.zip")
    broken = syn.write_feed(tmp_path / "kaputt.zip", drop=("stop_times.txt",))
    calls: list[str] = []

    def fake_fetch(url: str, target: Path, **_kw) -> Path:
        calls.append(url)
        shutil.copy(good if len(calls) == 1 else broken, target)
        return target

    monkeypatch.setattr(dt_, "fetch_to_file", fake_fetch)
    dest = tmp_path / "quellen"
    path = dt_.download_gtfs(dest, "nv")
    assert path == dest / "fahrplan_gtfs_nv.zip" and calls == [dt_.GTFS_VARIANTEN["nv"]]
    before = path.read_bytes()
    with pytest.raises(SourceError, match="stop_times.txt"):
        dt_.download_gtfs(dest, "nv")
    assert path.read_bytes() == before and not list(dest.glob("*.part"))
    with pytest.raises(SourceError, match="Variante"):
        dt_.download_gtfs(dest, "xx")
