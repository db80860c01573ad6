"""The web app: server-rendered pages in French and English (decision 0035).

``page.py`` is the pages' entrypoint (HTML answers, browser sessions, CSRF, security
headers); ``i18n.py`` the catalogues and formats; ``sessions.py`` the plain session
and CSRF code; ``public.py``, ``accounts.py`` and ``institution.py`` the pages,
mixed into the gateway by ``WebPages``.
"""
