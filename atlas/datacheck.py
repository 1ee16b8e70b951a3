"""``atlas check``: validate every data file of the project and their cross-references.

Checks, each through the file's own loader (so the check and the app read a file the same way, see
:mod:`atlas.datafile`): the source descriptions, Handlungsfelder, indicator catalogue, layer files,
categories, standards (with travel model, service-level rules, stop catchment and register notes), the
family page's topics, target groups, access rules and texts, and the prepared slide sequences. Then the
cross-references: every category named by a standard, topic, target group, rule or indicator is a
category of ``kategorien.yaml``; optionally the layer files against the built GeoPackage.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from atlas import settings
from atlas.errors import AtlasError


@dataclass
class CheckReport:
    """What was checked (German lines) and every problem found (German, naming file and field)."""

    checked: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def run(self, what: str, check: Callable[[], Any]) -> Any:
        """Run *check*; a German error becomes a problem, the result is returned (None on error)."""
        try:
            result = check()
        except AtlasError as exc:
            self.problems.append(str(exc))
            return None
        self.checked.append(what)
        return result


def _unknown(where: str, named: Iterable[str], known: frozenset[str]) -> list[str]:
    """Problems for every name in *named* that is neither a category nor a synonym (compared folded)."""
    from atlas.register.categories import fold

    folded = {fold(k) for k in known}
    return [f"{where}: Kategorie '{k}' steht nicht in kategorien.yaml." for k in sorted(set(named))
            if fold(k) not in folded]


def check_data_files(geodata: Path | None = None, layers_dir: Path | None = None,
                     data: Path | None = None) -> CheckReport:
    """Validate the data files in *geodata* (default ``geodata/``) and *layers_dir* (default ``layers/``);
    with *data* (a build folder holding ``atlas.gpkg``) also the layer files against the built layers."""
    from atlas.accessibility.parameters import load_verkehrsmodell
    from atlas.accessibility.service_levels import load_rules
    from atlas.accessibility.standards import load_register_notes, load_standards
    from atlas.accessibility.stop_catchment import load_catchment
    from atlas.council.slides import available_decks, load_deck
    from atlas.indicators import load_catalogue, load_handlungsfelder
    from atlas.layers import load_layers
    from atlas.accessibility_statement import load_statement
    from atlas.offer_search.extern import load_ausserhalb
    from atlas.offer_search.i18n import load_texts
    from atlas.offer_search.targets import load_themen, load_zielgruppen, load_zugang
    from atlas.register.categories import load_kategorien
    from atlas.sources import load_sources

    geo = Path(geodata) if geodata is not None else settings.GEODATA_DIR
    report = CheckReport()
    ausserhalb = None
    run = report.run
    run("Quellenbeschreibung sources.yaml", lambda: load_sources(geo / "sources.yaml"))
    felder = run("Handlungsfelder", lambda: load_handlungsfelder(geo / "handlungsfelder.yaml"))
    catalogue = run("Indikatorkatalog", lambda: load_catalogue(geo / "indicators.yaml", geo / "handlungsfelder.yaml"))
    layers = run("Ebenen-Dateien", lambda: load_layers(Path(layers_dir) if layers_dir else settings.LAYERS_DIR))
    kategorien = run("Kategorien", lambda: load_kategorien(geo / "kategorien.yaml"))
    standards = run("Erreichbarkeitsstandards", lambda: load_standards(geo / "standards.yaml"))
    run("Verkehrsmodell", lambda: load_verkehrsmodell(geo / "standards.yaml"))
    rules = run("Versorgungsstufen-Regeln", lambda: load_rules(geo / "standards.yaml"))
    run("Einzugsbereich der Haltestellen", lambda: load_catchment(geo / "standards.yaml"))
    run("Registerhinweise", lambda: load_register_notes(geo / "standards.yaml"))
    themen = run("Themen", lambda: load_themen(geo / "angebote_themen.yaml"))
    gruppen = run("Zielgruppen", lambda: load_zielgruppen(geo / "zielgruppen.yaml"))
    run("Zugangsregeln", lambda: load_zugang(geo / "angebote_zugang.yaml"))
    run("Seitentexte", lambda: load_texts(geo / "angebote_finden_texte.yaml"))
    if themen is not None:
        ausserhalb = run("Angebote außerhalb des Kreises",
                         lambda: load_ausserhalb(geo / "angebote_ausserhalb.yaml", themen))
    run("Erklärung zur Barrierefreiheit", lambda: load_statement(geo / "barrierefreiheit.yaml"))
    for name, path in available_decks(geo / "sitzungen").items():
        run(f"Folienliste {name}", partial(load_deck, path))

    if kategorien is not None:
        known = frozenset(n for k in kategorien for n in (k.name, *k.synonyme))
        names = frozenset(k.name for k in kategorien)
        if standards is not None:
            report.problems += _unknown("standards.yaml", (s.kategorie for s in standards.values()), known)
        if rules is not None:
            report.problems += _unknown("standards.yaml, zaehlt_auch_fuer",
                                        [n for r in rules for n in (r.kategorie, r.zaehlt_fuer)], known)
        if themen is not None:
            report.problems += _unknown("angebote_themen.yaml", (k for t in themen for k in t.kategorien), known)
            if ausserhalb is not None:
                report.problems += _unknown("angebote_ausserhalb.yaml", (o.record["kategorie"] for o in ausserhalb), known)
            without = sorted(names - {k for t in themen for k in t.kategorien})
            if without:
                report.notes.append("Ohne Thema (erscheinen unter 'Sonstiges'): " + ", ".join(without))
        if gruppen is not None:
            report.problems += _unknown("zielgruppen.yaml", (k for g in gruppen for k in g.kategorien), known)
        if catalogue is not None:
            report.problems += _unknown("indicators.yaml, kategorie_register",
                                        (i.kategorie_register for i in catalogue if i.kategorie_register), known)
    if felder is not None and themen is not None:
        report.checked.append(f"{len(felder)} Handlungsfelder, {len(themen)} Themen")
    if data is not None and layers is not None:
        _check_against_build(report, layers, Path(data))
    return report


def _check_against_build(report: CheckReport, layers: Any, data: Path) -> None:
    from atlas.atlasdata import load_atlas
    from atlas.layers import check_against_data

    built = report.run(f"gebaute Daten in {data}", lambda: load_atlas(data))
    if built is not None:
        report.run("Ebenen gegen die gebauten Daten", lambda: check_against_data(layers, built.columns()))
