"""The start page's content, once: drawn by ``pages/start.py`` and sent as a static preview in the first HTML.

Everything on the start page is text, three key figures and links – where families, planners and council members
begin. The server writes the same page as plain HTML into the index page it answers for the app's root address
(``scripts/index_page.py``; why and how: :mod:`atlas.page_preview`): readable and usable from the first byte,
every link a plain link to its page; Streamlit's own start page replaces it once drawn.

Both are made from :func:`start_content`, so the preview never says anything the page does not. Pure: no
Streamlit; the figures come from the build's manifest, the links from :mod:`atlas.navigation`.
"""

from __future__ import annotations

import functools
import html
import json
from collections.abc import Mapping
from dataclasses import dataclass

from atlas import settings
from atlas.display import format_number
from atlas.navigation import page
from atlas.page_preview import PREVIEW_ID, link_html, preview_frame


@dataclass(frozen=True)
class StartLink:
    """A link of the start page: the page's module, the link text, its icon and the page's address."""

    module: str
    label: str
    icon: str
    url_path: str


@dataclass(frozen=True)
class StartContent:
    """Everything the start page says, in order."""

    title: str
    family_lead: str  #: bold, before :attr:`family_text`
    family_text: str
    family_links: tuple[StartLink, ...]
    about: str
    figures: tuple[tuple[str, str], ...]  #: (label, value as shown)
    section: str
    columns: tuple[tuple[str, tuple[StartLink, ...]], ...]  #: (bold heading, links) side by side
    sources_link: StartLink
    caveat: str
    attributions: tuple[str, ...]
    accessibility_link: StartLink

    @property
    def links(self) -> tuple[StartLink, ...]:
        """Every link of the page's main area, in order (the footer's accessibility link last)."""
        return (*self.family_links, *(link for _, links in self.columns for link in links), self.sources_link,
                self.accessibility_link)


def _link(module: str, label: str | None = None) -> StartLink:
    entry = page(module)
    return StartLink(module, label or entry.title, entry.icon, entry.url_path)


def _number(value: object) -> str:
    """A key figure as the page shows it (:func:`atlas.display.format_number`); "–" when the build has none."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return "–"
    return format_number(value)


def start_content(kreis_name: str, manifest: Mapping, attributions: tuple[str, ...]) -> StartContent:
    """The start page of the county *kreis_name*, its key figures from the build's *manifest*."""
    offers = manifest.get("angebote")
    offers = offers if isinstance(offers, Mapping) else {}
    return StartContent(
        title=f"Standortatlas {kreis_name}".strip(),
        family_lead="Für Familien:",
        family_text="Beratung, Kita, Schule und Hilfe in Ihrer Nähe finden",
        family_links=(_link("pages/angebote_finden.py"),
                      _link("pages/meldung.py", "Angebot fehlt? Angaben falsch? Melden")),
        about=("Der Standortatlas zeigt, wo im Landkreis Angebote für Familien, Kinder, Jugendliche, Ältere und "
               "Menschen in schwierigen Lebenslagen zu finden sind – und wo sie fehlen. Er gehört zur "
               "Armutspräventionsstrategie des Landkreises."),
        figures=(("Einwohner (Zensus 2022)", _number(manifest.get("einwohner_zensus_2022"))),
                 ("Gemeinden", _number(manifest.get("gemeinden_anzahl"))),
                 ("Angebote im Register", _number(offers.get("gesamt")))),
        section="Für Planung und Kreistag",
        columns=(("Für die Planung", (_link("pages/karte.py", "Karte: Gemeinden, Angebote, Bahnhöfe"),
                                      _link("pages/erreichbarkeit.py", "Erreichbarkeit und Versorgungslücken"))),
                 ("Für den Kreistag", (_link("pages/indikatoren.py", "Indikatoren je Gemeinde"),
                                       _link("pages/sozialraumprofil.py", "Sozialraumprofil einer Gemeinde"),
                                       _link("pages/sitzung.py", "Sitzungsmodus für Beamer")))),
        sources_link=_link("pages/quellen.py", "Daten & Quellen: Herkunft, Stand und Lizenzen"),
        caveat=("Das Angebotsregister ist ein erster Stand aus öffentlichen Quellen und noch unvollständig. "
                "Angebote sind nur ungefähr verortet (Ortsteil oder Gemeinde)."),
        attributions=tuple(attributions),
        accessibility_link=_link("pages/barrierefreiheit.py", "Erklärung zur Barrierefreiheit – Barriere melden"),
    )


# ------------------------------------------------------------------------------------------ preview

#: The start page's own parts of the preview's look (the families' box, the key figures, two columns).
START_CSS = f"""
#{PREVIEW_ID} .av-box{{border:1px solid rgba(49,51,63,.2);border-radius:.5rem;padding:1rem;margin:0 0 1rem}}
#{PREVIEW_ID} .av-box p{{margin:0 0 11px}}
#{PREVIEW_ID} .av-box a.av-link{{font-size:1.1rem;font-weight:600}}
#{PREVIEW_ID} .av-box a.av-link:last-child{{margin-bottom:0}}
#{PREVIEW_ID} .av-cols{{display:flex;flex-wrap:wrap;gap:1rem}}
#{PREVIEW_ID} .av-cols>div{{flex:1 1 12rem;min-width:0}}
#{PREVIEW_ID} dl{{display:flex;flex-wrap:wrap;gap:1rem;margin:0 0 1rem}}
#{PREVIEW_ID} dl>div{{flex:1 1 12rem}}
#{PREVIEW_ID} dt{{font-size:14px;color:#595959}}
#{PREVIEW_ID} dd{{margin:0;font-size:36px;line-height:52px}}
"""

#: What Streamlit's start page must show before the preview goes: its page links (all of them, see ``count``).
PAGE_LINK = '[data-testid="stPageLink"]'


def _anchor(base_path: str, link: StartLink) -> str:
    return link_html(base_path, link.url_path, link.label)


def preview_html(content: StartContent, base_path: str = "") -> str:
    """The start page as static HTML (every text escaped, links below *base_path*, the app's address without
    its host, e.g. ``""`` or ``"/atlas"``) in the preview's frame (:func:`atlas.page_preview.preview_frame`),
    removed when Streamlit's start page shows its heading and all its page links."""
    e = html.escape
    a = _anchor
    figures = "".join(f"<div><dt>{e(label)}</dt><dd>{e(value)}</dd></div>" for label, value in content.figures)
    columns = "".join(f"<div><p><strong>{e(head)}</strong></p>{''.join(a(base_path, x) for x in links)}</div>"
                      for head, links in content.columns)
    main = (
        f"<h1>{e(content.title)}</h1>"
        f'<div class="av-box"><p><strong>{e(content.family_lead)}</strong> {e(content.family_text)}</p>'
        f"{''.join(a(base_path, x) for x in content.family_links)}</div>"
        f"<p>{e(content.about)}</p><dl>{figures}</dl>"
        f"<h2>{e(content.section)}</h2><div class=\"av-cols\">{columns}</div>"
        f"{a(base_path, content.sources_link)}"
        f'<p class="av-small">{e(content.caveat)}</p>'
        f'<p class="av-small">Quellen: {e(" · ".join(content.attributions))}</p>'
        f"{a(base_path, content.accessibility_link)}"
    )
    return preview_frame(main, base_path=base_path, wait_for=PAGE_LINK, count=len(content.links), css=START_CSS)


#: The sources whose attribution the start page shows (its figures: Gemeinden, Zensus, register).
ATTRIBUTION_SOURCES = ("gemeinden", "zensus_gemeinden", "angebote")


def content_of(manifest: Mapping) -> StartContent:
    """The start page of the build described by *manifest*, with the attribution of its sources."""
    from atlas.sources import attributions

    return start_content(str(manifest.get("kreis_name", "")), manifest, tuple(attributions(ATTRIBUTION_SOURCES)))


def current_content() -> StartContent | None:
    """The start page of the current build (None when there is no build yet)."""
    manifest_file = settings.manifest_path()
    if not manifest_file.is_file():
        return None
    return content_of(json.loads(manifest_file.read_text(encoding="utf-8")))


@functools.lru_cache(maxsize=8)
def _preview(version: str, base_path: str) -> str:
    content = current_content()
    return preview_html(content, base_path) if content is not None else ""


def current_preview(base_path: str = "") -> str:
    """:func:`preview_html` of the current build, made once per build and base address; "" without a build
    or when it cannot be read (the index page is then served without a preview – never broken by it)."""
    from atlas.atlasdata import data_version

    try:
        return _preview(data_version(), base_path)
    except Exception:  # noqa: BLE001 – a preview is an extra; Streamlit's page shows the error itself
        return ""
