"""Start: what the atlas shows and where to begin, for each group of users.

Families come first (on a phone their entry is the first thing below the title); every link is a tap
target of at least 44 px (:data:`TAP_CSS`).
"""

from __future__ import annotations

import streamlit as st

from atlas.start_page import StartLink, content_of
from pages._common import attribution_footer, get_data, warm_up_map_modules

#: Page links and the sidebar's navigation links as tap targets of at least 44 px (WCAG 2.5.5).
TAP_CSS = """<style>
[data-testid="stPageLink"] a, [data-testid="stPageLink-NavLink"], [data-testid="stSidebarNavLink"]{
  min-height:44px;display:flex;align-items:center;box-sizing:border-box}
.st-key-start_familien [data-testid="stPageLink"] a p{font-size:1.1rem;font-weight:600}
</style>"""

data = get_data()
warm_up_map_modules()
# The same content as the static preview in the first HTML (atlas/start_page.py): the two never disagree.
page = content_of(data.manifest)


def link(item: StartLink) -> None:
    st.page_link(item.module, label=item.label, icon=item.icon)


st.html(TAP_CSS)
st.title(page.title)
with st.container(border=True, key="start_familien"):
    st.markdown(f"**{page.family_lead}** {page.family_text}")
    for item in page.family_links:
        link(item)
st.markdown(page.about)
for col, (label, value) in zip(st.columns(len(page.figures)), page.figures, strict=True):
    col.metric(label, value)

st.subheader(page.section)
for col, (heading, links) in zip(st.columns(len(page.columns)), page.columns, strict=True):
    with col:
        st.markdown(f"**{heading}**")
        for item in links:
            link(item)
link(page.sources_link)
st.caption(page.caveat)
attribution_footer(list(page.attributions))
