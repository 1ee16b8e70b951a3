"""The results map: searched place, numbered offers, their nearest railway stations; offline.

Leaflet is served by the app (:data:`atlas.mapview.LEAFLET_JS`), there are no tiles (Gemeinde polygons
are the background) and no plugin: the "my location" button is a tiny Leaflet control written here
(``navigator.geolocation``). It rounds the position to 3 decimals (≈100 m) *in the browser* and fires
a map click there, so the page receives it exactly like a tap on the map (streamlit-folium's
``last_clicked``). Numbered markers are ``DivIcon``s (no image files).

Markers never hide each other: several offers often share one point (an Ortslage), and the search
point often lies there too. After every zoom a few lines of JavaScript place each numbered icon at the
nearest free spot on rings around its true position (in screen pixels, rank 1 first, the search point
fixed) – so all numbers stay readable and tappable at any zoom. Place names come from the gazetteer
(:func:`atlas.offer_search.viewmodel.place_labels`: Gemeinde main places always, other localities from
zoom 11) as non-interactive labels in their own pane below the markers; overlapping labels are dropped, more important places first. All of it works
offline. The view fits the search point and the shown offers, at least :data:`MIN_SPAN_DEG` wide.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import folium
from branca.element import MacroElement
from folium.template import Template
from pyproj import Transformer

from atlas import schema, settings
from atlas.leaflet import Attribution, corners, offline_map
from atlas.mapview import MapBase
from atlas.offer_search.gazetteer import Place
from atlas.offer_search.i18n import Texts
from atlas.offer_search.search import Hit
from atlas.safe_text import text_html

_TO_MAP = Transformer.from_crs(settings.METRIC_CRS, settings.MAP_CRS, always_xy=True)

MAP_CSS = """
<style>
.of-num{background:#1f5f8b;color:#fff;border:2px solid #fff;border-radius:50%;width:26px;height:26px;
  line-height:22px;text-align:center;font:700 13px/22px system-ui,sans-serif;box-shadow:0 1px 3px rgba(0,0,0,.5)}
.of-here{background:#c0392b;border:3px solid #fff;border-radius:50%;width:20px;height:20px;
  box-shadow:0 0 0 2px #c0392b}
.of-locate a{font-size:20px;line-height:44px;width:44px;height:44px;display:block;text-align:center;
  background:#fff;color:#111;text-decoration:none}
.leaflet-bar a,.leaflet-touch .leaflet-bar a{width:44px;height:44px;line-height:44px;font-size:22px}
.of-offer{overflow:visible}
.of-num{position:relative;z-index:1}
.of-lead{position:absolute;left:50%;top:50%;height:2px;margin-top:-1px;background:#1f5f8b;transform-origin:0 50%;
  pointer-events:none;z-index:0}
.of-label{background:none;border:none}
.of-label span{display:inline-block;transform:translate(-50%,-50%);white-space:nowrap;font:11px/1.1 system-ui,sans-serif;
  color:#555;text-shadow:0 0 3px #fff,0 0 3px #fff,0 0 2px #fff;pointer-events:none}
.of-label.of-major span{font-weight:600;font-size:12.5px;color:#222}
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
        (function() {
            var map = {{ this._parent.get_name() }};
            var items = {{ this.markers|tojson }}.map(function(d) {
                var icon = L.divIcon({html: d.icon, className: d.cls, iconSize: [d.size, d.size],
                                      iconAnchor: [d.size / 2, d.size / 2]});
                var mk = L.marker([d.lat, d.lon], {icon: icon, zIndexOffset: d.z || 0, keyboard: true,
                                                   title: d.title || ''});
                if (d.popup) { mk.bindPopup(d.popup, {maxWidth: 260}); }
                if (d.tooltip) { mk.bindTooltip(d.tooltip); }
                // Screen readers: the marker is a keyboard button and needs a name (axe aria-command-name).
                if (d.label) { mk.on('add', function () { mk.getElement().setAttribute('aria-label', d.label); }); }
                mk.addTo(map);
                return {mk: mk, d: d};
            });
            // Fixed markers (the search point) first, then by rank: each icon takes the free spot nearest
            // to its true position on rings around it, so no marker hides another at any zoom.
            items.sort(function(a, b) { return (a.d.fixed ? 0 : 1) - (b.d.fixed ? 0 : 1) || (a.d.rank || 0) - (b.d.rank || 0); });
            function spread() {
                var placed = [];
                items.forEach(function(it) {
                    var p = map.latLngToLayerPoint([it.d.lat, it.d.lon]), r = it.d.size / 2 + 2, dx = 0, dy = 0;
                    function free(x, y) {
                        return placed.every(function(q) { var ex = q.x - x, ey = q.y - y;
                            return ex * ex + ey * ey >= (q.r + r) * (q.r + r); });
                    }
                    if (!it.d.fixed && !free(p.x, p.y)) {
                        var found = false;
                        for (var ring = 1; ring < 12 && !found; ring++) {
                            var rad = ring * 2 * r, steps = 6 * ring;
                            for (var k = 0; k < steps && !found; k++) {
                                var a = -Math.PI / 2 + 2 * Math.PI * k / steps;
                                var x = p.x + rad * Math.cos(a), y = p.y + rad * Math.sin(a);
                                if (free(x, y)) { dx = x - p.x; dy = y - p.y; found = true; }
                            }
                        }
                    }
                    placed.push({x: p.x + dx, y: p.y + dy, r: r});
                    var el = it.mk.getElement(), num = el && (el.querySelector('.of-num, .of-here') || el.firstChild);
                    if (num) {
                        num.style.transform = 'translate(' + Math.round(dx) + 'px,' + Math.round(dy) + 'px)';
                        el.setAttribute('data-moved', (dx || dy) ? '1' : '0');
                        // A thin leader line from the true position to the moved icon.
                        var lead = el.querySelector('.of-lead');
                        if (!lead) { lead = document.createElement('span'); lead.className = 'of-lead';
                                     el.insertBefore(lead, el.firstChild); }
                        var len = Math.sqrt(dx * dx + dy * dy);
                        lead.style.display = len ? 'block' : 'none';
                        lead.style.width = Math.round(len) + 'px';
                        lead.style.transform = 'rotate(' + Math.atan2(dy, dx) + 'rad)';
                    }
                });
            }
            map.on('zoomend viewreset', spread);
            map.whenReady(function() { setTimeout(spread, 0); });
            spread();
        })();
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


class PlaceLabels(MacroElement):
    """Place names as non-interactive labels in a pane below the markers; overlapping ones are dropped."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function() {
            var map = {{ this._parent.get_name() }};
            var pane = map.createPane('ofLabels');
            pane.style.zIndex = 450; pane.style.pointerEvents = 'none';
            var layer = L.layerGroup().addTo(map);
            var items = {{ this.labels|tojson }}.map(function(d) {
                return {d: d, mk: L.marker([d.lat, d.lon], {pane: 'ofLabels', interactive: false, keyboard: false,
                    icon: L.divIcon({className: 'of-label' + (d.major ? ' of-major' : ''), iconSize: null,
                                     html: '<span>' + d.name + '</span>'})})};
            });
            function declutter() {
                var z = map.getZoom(), size = map.getSize(), boxes = [];
                items.forEach(function(it) {
                    var show = it.d.major || z >= {{ this.min_zoom_minor }};
                    if (show) {
                        var p = map.latLngToContainerPoint([it.d.lat, it.d.lon]);
                        var w = it.d.name.length * (it.d.major ? 7.5 : 6.6) / 2 + 3, h = 9;
                        var b = [p.x - w, p.y - h, p.x + w, p.y + h];
                        show = b[2] > 0 && b[3] > 0 && b[0] < size.x && b[1] < size.y && boxes.every(function(q) {
                            return b[2] < q[0] || b[0] > q[2] || b[3] < q[1] || b[1] > q[3]; });
                        if (show) { boxes.push(b); }
                    }
                    if (show && !layer.hasLayer(it.mk)) { layer.addLayer(it.mk); }
                    if (!show && layer.hasLayer(it.mk)) { layer.removeLayer(it.mk); }
                });
            }
            map.on('zoomend moveend', declutter);
            map.whenReady(function() { setTimeout(declutter, 0); });
        })();
        {% endmacro %}
    """)

    def __init__(self, labels: Sequence[dict], min_zoom_minor: int = 11):
        super().__init__()
        self._name = "OfPlaceLabels"
        self.labels = list(labels)
        self.min_zoom_minor = int(min_zoom_minor)


#: Smallest extent of the result view in degrees (about 3.3 km north–south), so that a search whose
#: offers all lie at the searched place does not zoom into an empty white area.
MIN_SPAN_DEG = 0.03


def _latlon(x: float, y: float) -> tuple[float, float]:
    lon, lat = _TO_MAP.transform(x, y)
    return round(float(lat), 6), round(float(lon), 6)


def build_result_map(base: MapBase, place: Place | None, hits: Sequence[Hit], t: Texts,
                     attributions: Sequence[str], labels: Sequence[dict] = ()) -> folium.Map:
    """The map of one search (pure; the page draws it with st_folium)."""
    m = offline_map(base.bounds, zoom_start=9, max_zoom=17, css=MAP_CSS, css_name="of_css")
    folium.GeoJson(base.frames[schema.NEIGHBOUR_GEMEINDEN_LAYER].__geo_interface__, name="nachbar", interactive=False,
                   style_function=lambda f: {"color": "#bbbbbb", "weight": 0.6, "fillColor": "#f2f2f2",
                                             "fillOpacity": 1.0}).add_to(m)
    folium.GeoJson(base.frames[schema.GEMEINDEN_LAYER][["name", "geometry"]].__geo_interface__, name="gemeinden",
                   interactive=False,
                   style_function=lambda f: {"color": "#8a8a8a", "weight": 0.8, "fillColor": "#ffffff",
                                             "fillOpacity": 1.0, "className": "of-gemeinde"}).add_to(m)
    folium.GeoJson(base.frames[schema.KREIS_LAYER].__geo_interface__, name="kreis", interactive=False,
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
        popup = (f'<div class="of-popup"><strong>{hit.rang}. {text_html(o["name"])}</strong><br>'
                 f"{html.escape(t.km(hit.weg_m))}</div>")
        markers.append({"lat": lat, "lon": lon, "icon": f'<div class="of-num">{hit.rang}</div>', "size": 26,
                        "cls": "of-offer", "popup": popup, "tooltip": text_html(f"{hit.rang}. {o['name']}"),
                        "rank": hit.rang, "label": f"{hit.rang}. {o['name']}, {t.km(hit.weg_m)}"})
    if place is not None:
        lat, lon = _latlon(place.x, place.y)
        points.append((lat, lon))
        markers.append({"lat": lat, "lon": lon, "icon": '<div class="of-here"></div>', "size": 20, "cls": "of-place",
                        "popup": "", "tooltip": html.escape(f"{t('karte_suchort')}: {place.name}"), "z": 1000,
                        "fixed": True, "label": f"{t('karte_suchort')}: {place.name}"})
    if labels:
        PlaceLabels(labels).add_to(m)
    _DivMarkers(markers).add_to(m)
    if points:
        lats = [p[0] for p in points]
        lons = [p[1] for p in points]
        mid_lat, mid_lon = (min(lats) + max(lats)) / 2, (min(lons) + max(lons)) / 2
        half_lat = max((max(lats) - min(lats)) / 2, MIN_SPAN_DEG / 2)
        half_lon = max((max(lons) - min(lons)) / 2, MIN_SPAN_DEG * 1.6 / 2)
        # Keep markers clear of the zoom/locate buttons (top left) and the attribution (bottom).
        m.fit_bounds([[mid_lat - half_lat, mid_lon - half_lon], [mid_lat + half_lat, mid_lon + half_lon]],
                     padding_top_left=(60, 40), padding_bottom_right=(40, 90), max_zoom=14)
    else:
        m.fit_bounds(corners(base.bounds))
    LocateControl(t("standort_knopf"), t("standort_fehler")).add_to(m)
    Attribution(attributions, prefix="Leaflet").add_to(m)
    return m
