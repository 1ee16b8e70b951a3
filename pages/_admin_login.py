"""Login of the admin page (helper module, not a page): secrets, OIDC and the throttled password form.

The decision logic lives in :func:`atlas.register.admin_view.login_attempt` and
:class:`atlas.register.auth.LoginThrottle`; this module only reads secrets and draws the form.
"""

from __future__ import annotations

import uuid

import streamlit as st

from atlas.register.admin_view import login_attempt
from atlas.register import auth
from atlas.register.auth import LoginThrottle, users_from_secrets

USER_KEY = "register_admin_user"


@st.cache_resource(show_spinner=False)
def _throttle() -> LoginThrottle:
    return LoginThrottle()


def secrets_section(name: str) -> dict:
    try:
        return dict(st.secrets.get(name, {}) or {})
    except Exception:  # noqa: BLE001 - a missing or malformed secrets file must not show a stack trace
        return {}


def oidc_user() -> str | None:
    """E-mail of a user logged in with OIDC (``st.login``) who is listed in ``[admin] oidc_emails``."""
    allowed = [str(e).lower() for e in secrets_section("admin").get("oidc_emails", [])]
    if not allowed or not secrets_section("auth"):
        return None
    try:
        if st.user.is_logged_in and str(st.user.get("email", "")).lower() in allowed:
            return str(st.user.get("email"))
    except AttributeError:
        return None
    return None


def login() -> str | None:
    """The logged-in editor, or None after drawing the login form."""
    if st.session_state.get(USER_KEY):
        return str(st.session_state[USER_KEY])
    oidc = oidc_user()
    if oidc:
        return oidc
    users = users_from_secrets(secrets_section("admin"))
    if not users and not secrets_section("auth"):
        st.warning("Für die Verwaltung ist noch kein Zugang eingerichtet. Bitte in `.streamlit/secrets.toml` "
                   "einen Abschnitt `[admin]` mit `users = { name = \"<Hash>\" }` anlegen; den Hash erzeugt "
                   "`atlas passwort-hash`.")
        return None
    if secrets_section("auth") and secrets_section("admin").get("oidc_emails"):
        st.button("Mit Single Sign-on anmelden", on_click=st.login)
    with st.form("register_login"):
        name = st.text_input("Benutzername")
        password = st.text_input("Passwort", type="password")
        sent = st.form_submit_button("Anmelden")
    if sent:
        session = st.session_state.setdefault("_register_login_session", uuid.uuid4().hex)
        result = login_attempt(_throttle(), users, name, password, session, auth.clock())
        if result.user:
            st.session_state[USER_KEY] = result.user
            st.rerun()
        st.error(result.message)
    return None


def logout() -> None:
    st.session_state.pop(USER_KEY, None)
    if oidc_user():
        st.logout()
    st.rerun()
