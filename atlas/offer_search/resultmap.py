"""The results map: searched place, numbered offers, their nearest railway stations; offline.

Leaflet is served by the app (:data:`atlas.mapview.LEAFLET_JS`), there are no tiles (Gemeinde polygons
are the background) and no plugin: the "my location" button is a tiny Leaflet control written here
(``navigator.geolocation``). It rounds the position to 3 decimals (≈100 m) *in the browser* and fires
a map click there, so the page receives it exactly like a tap on the map (streamlit-folium's
``last_clicked``). Numbered markers are ``DivIcon``s (no image files).
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import folium
from branca.element import MacroElement
from folium.template import Template
from pyproj import Transformer

from atlas import settings
from atlas.leaflet import Attribution, offline_map
from atlas.mapview import MapBase
from atlas.offer_search.gazetteer import Place
from atlas.offer_search.i18n import Texts
from atlas.offer_search.search import Hit

_TO_MAP = Transformer.from_crs(settings.METRIC_CRS, settings.MAP_CRS, always_xy=True)

MAP_CSS = """
<style>
.of-num{background:#1f5f8b;color:#fff;border:2px solid #fff;border-radius:50%;width:26px;height:26px;
  line-height:22px;text-align:center;font:700 13px/22px system-ui,sans-serif;box-shadow:0 1px 3px rgba(0,0,0,.5)}
.of-here{background:#c0392b;border:3px solid #fff;border-radius:50%;width:20px;height:20px;
  box-shadow:0 0 0 2px #c0392b}
.of-locate a{font-size:20px;line-height:34px;width:34px;height:34px;display:block;text-align:center;
  background:#fff;color:#111;text-decoration:none}
.leaflet-container{background:#fff}
.leaflet-control-attribution{font-size:11px;line-height:1.3}
@media (max-width:600px){.leaflet-control-attribution{font-size:9px;line-height:1.2}}
.of-popup{font:14px/1.4 system-ui,sans-serif}
.of-popup a{display:inline-block;padding:6px 0}
</style>
"""


class _DivMarkers(MacroElement):
    """Markers with an HTML icon, popup and tooltip, bound in plain Leaflet (folium's Popup needs jQuery)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        {{ this.markers|tojson }}.forEach(function(d) {
            var icon = L.divIcon({html: d.icon, className: d.cls, iconSize: [d.size, d.size],
                                  iconAnchor: [d.size / 2, d.size / 2]});
            var mk = L.marker([d.lat, d.lon], {icon: icon, zIndexOffset: d.z || 0, keyboard: true,
                                               title: d.title || ''});
            if (d.popup) { mk.bindPopup(d.popup, {maxWidth: 260}); }
            if (d.tooltip) { mk.bindTooltip(d.tooltip); }
            // Screen readers: the marker is a keyboard button and needs a name (axe aria-command-name).
            if (d.label) { mk.on('add', function () { mk.getElement().setAttribute('aria-label', d.label); }); }
            mk.addTo({{ this._parent.get_name() }});
        });
        {% endmacro %}
    """)

    def __init__(self, markers: Sequence[dict]):
        super().__init__()
        self._name = "OfDivMarkers"
        self.markers = list(markers)


class LocateControl(MacroElement):
    """A button that asks the browser for its position and treats it like a tap on the map."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function() {
            var map = {{ this._parent.get_name() }};
            var ctl = L.control({position: 'topleft'});
            ctl.onAdd = function() {
                var div = L.DomUtil.create('div', 'leaflet-bar of-locate');
                var a = L.DomUtil.create('a', '', div);
                a.href = '#'; a.setAttribute('role', 'button');
                a.title = {{ this.title|tojson }}; a.setAttribute('aria-label', {{ this.title|tojson }});
                a.innerHTML = '<svg width="20" height="20" viewBox="0 0 24 24" aria-hidden="true" ' +
                    'style="vertical-align:middle"><circle cx="12" cy="12" r="4" fill="#1f5f8b"/>' +
                    '<circle cx="12" cy="12" r="8" fill="none" stroke="#1f5f8b" stroke-width="2"/>' +
                    '<path d="M12 1v4M12 19v4M1 12h4M19 12h4" stroke="#1f5f8b" stroke-width="2"/></svg>';
                L.DomEvent.disableClickPropagation(div);
                L.DomEvent.on(a, 'click', function(ev) {
                    L.DomEvent.preventDefault(ev);
                    if (!navigator.geolocation) { a.title = {{ this.error|tojson }}; return; }
                    navigator.geolocation.getCurrentPosition(function(pos) {
                        var lat = Math.round(pos.coords.latitude * 1000) / 1000;
                        var lng = Math.round(pos.coords.longitude * 1000) / 1000;
                        map.fire('click', {latlng: L.latLng(lat, lng)});
                    }, function() { a.title = {{ this.error|tojson }}; alert({{ this.error|tojson }}); },
                    {enableHighAccuracy: false, timeout: 15000, maximumAge: 60000});
                });
                return div;
            };
            ctl.addTo(map);
        })();
        {% endmacro %}
    """)

    def __init__(self, title: str, error: str):
        super().__init__()
        self._name = "LocateControl"
        self.title = title
        self.error = error


def _latlon(x: float, y: float) -> tuple[float, float]:
    lon, lat = _TO_MAP.transform(x, y)
    return round(float(lat), 6), round(float(lon), 6)


def build_result_map(base: MapBase, place: Place | None, hits: Sequence[Hit], t: Texts,
                     attributions: Sequence[str]) -> folium.Map:
    """The map of one search (pure; the page draws it with st_folium)."""
    south, west, north, east = base.bounds
    m = offline_map(base.bounds, zoom_start=9, max_zoom=17, css=MAP_CSS, css_name="of_css")
    folium.GeoJson(base.frames["nachbar_gemeinden"].__geo_interface__, name="nachbar", interactive=False,
                   style_function=lambda f: {"color": "#bbbbbb", "weight": 0.6, "fillColor": "#f2f2f2",
                                             "fillOpacity": 1.0}).add_to(m)
    folium.GeoJson(base.frames["gemeinden"][["name", "geometry"]].__geo_interface__, name="gemeinden",
                   interactive=False,
                   style_function=lambda f: {"color": "#8a8a8a", "weight": 0.8, "fillColor": "#ffffff",
                                             "fillOpacity": 1.0, "className": "of-gemeinde"}).add_to(m)
    folium.GeoJson(base.frames["kreis"].__geo_interface__, name="kreis", interactive=False,
                   style_function=lambda f: {"color": "#333333", "weight": 2.0, "fill": False}).add_to(m)
    points: list[tuple[float, float]] = []
    stations_drawn: set[str] = set()
    markers: list[dict] = []
    for hit in hits:
        o = hit.offer
        lat, lon = _latlon(o.x, o.y)
        points.append((lat, lon))
        if o.bahnhof is not None:
            slat, slon = _latlon(o.bahnhof.x, o.bahnhof.y)
            folium.PolyLine([[lat, lon], [slat, slon]], color="#555555", weight=1.2, dash_array="4 4",
                            interactive=False).add_to(m)
            if o.bahnhof.ibnr not in stations_drawn:
                stations_drawn.add(o.bahnhof.ibnr)
                folium.CircleMarker([slat, slon], radius=6, color="#000000", weight=2.5, fill=True,
                                    fill_color="#ffffff", fill_opacity=1.0, class_name="of-bahnhof",
                                    tooltip=html.escape(f"{t('karte_bahnhof')}: {o.bahnhof.name}")).add_to(m)
        popup = (f'<div class="of-popup"><strong>{hit.rang}. {html.escape(o["name"])}</strong><br>'
                 f"{html.escape(t.km(hit.weg_m))}</div>")
        markers.append({"lat": lat, "lon": lon, "icon": f'<div class="of-num">{hit.rang}</div>', "size": 26,
                        "cls": "of-offer", "popup": popup, "tooltip": html.escape(f"{hit.rang}. {o['name']}"),
                        "label": f"{hit.rang}. {o['name']}, {t.km(hit.weg_m)}"})
    if place is not None:
        lat, lon = _latlon(place.x, place.y)
        points.append((lat, lon))
        markers.append({"lat": lat, "lon": lon, "icon": '<div class="of-here"></div>', "size": 20, "cls": "of-place",
                        "popup": "", "tooltip": html.escape(f"{t('karte_suchort')}: {place.name}"), "z": 1000,
                        "label": f"{t('karte_suchort')}: {place.name}"})
    _DivMarkers(markers).add_to(m)
    if points:
        lats = [p[0] for p in points]
        lons = [p[1] for p in points]
        # Keep markers clear of the zoom/locate buttons (top left) and the attribution (bottom).
        m.fit_bounds([[min(lats), min(lons)], [max(lats), max(lons)]], padding_top_left=(50, 30),
                     padding_bottom_right=(30, 90), max_zoom=14)
    else:
        m.fit_bounds([[south, west], [north, east]])
    LocateControl(t("standort_knopf"), t("standort_fehler")).add_to(m)
    Attribution(attributions, prefix="Leaflet").add_to(m)
    return m
