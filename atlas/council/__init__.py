"""Council views: indicator maps, comparisons, the Sozialraumprofil with PDF/PNG export, and slides.

Modules (no Streamlit here; pages in ``pages/indikatoren.py``, ``pages/sozialraumprofil.py`` and
``pages/sitzung.py`` only draw):

* :mod:`.indicator_maps` – which indicators a Gemeinde map offers, classification, map, captions;
* :mod:`.linked_maps` – two indicator maps side by side with linked pan and zoom (DualMap + Leaflet.Sync);
* :mod:`.compare` – ranks among the Gemeinden, the Kreis value (from the data or computed), tables;
* :mod:`.profile` – the Sozialraumprofil of one Gemeinde;
* :mod:`.map_png` – server-side map images (matplotlib + geopandas, no browser);
* :mod:`.profile_pdf` – the profile as a tagged A4 PDF (WeasyPrint);
* :mod:`.slides` – prepared slide lists for the Sitzungsmodus (YAML files and the URL form).
"""
