"""What a site's base URL says about who else can run scripts on its origin.

A browser's same-origin policy is the only wall between a credential page and other pages: a script
of the same origin (scheme, host, port) can open the real page and rewrite what it shows, and no
check on the page can tell. GitHub Pages (and GitLab Pages, Codeberg Pages) serve every project
site of an account from one host, ``<org>.github.io/<repo>``, so each sibling project shares the
origin. ``credsite init`` and ``credsite check`` say so, and recommend a dedicated domain or
subdomain (README, "Security").
"""

from __future__ import annotations

from urllib.parse import urlsplit

# Hosts under which many sites of one account share an origin (one host, sites told apart by path).
SHARED_HOST_SUFFIXES = (".github.io", ".gitlab.io", ".codeberg.page")


def shared_host_warning(base_url: str) -> str | None:
    """A one-line warning when ``base_url`` is on a host that other sites share, else None."""
    parts = urlsplit(base_url)
    host = (parts.hostname or "").lower()
    suffix = next((s for s in SHARED_HOST_SUFFIXES if host.endswith(s)), None)
    if suffix is None:
        return None
    where = f"{host}{parts.path.rstrip('/')}"
    return (f"base_url {base_url} is on {host}, which every other Pages site of the same account "
            f"shares (one origin: a script on any of them can rewrite the pages of {where}); "
            "serve the credentials from a dedicated domain or subdomain, e.g. "
            "https://credentials.example.org (README, Security)")
