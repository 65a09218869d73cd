"""The JSON-LD contexts credsite signs with, pinned and shipped inside the package.

RDF canonicalization (eddsa-rdfc-2022) must interpret a credential with exactly the contexts it
names. Fetching them at issue, build or verify time would make a signature depend on a remote
server (and leak who verifies what), so the two contexts every credsite document uses ship in
``credsite/trust/contexts/``; any other context URL is refused.
"""

from __future__ import annotations

import functools
import importlib.resources
import json
from collections.abc import Mapping
from typing import Any

from credsite.trust.vocabulary import OB_CONTEXT, VC_CONTEXT

PINNED = {
    VC_CONTEXT: "credentials-v2.jsonld",
    OB_CONTEXT: "ob-v3p0-context-3.0.3.json",
}


@functools.cache
def pinned_context(url: str) -> Any:
    """The context document pinned for ``url`` (parsed JSON); KeyError if none is."""
    name = PINNED[url]
    text = importlib.resources.files("credsite.trust").joinpath("contexts", name).read_bytes()
    return json.loads(text)


def inline_contexts(document: dict[str, Any], extra: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """``document`` with each context URL of its top-level ``@context`` replaced by the pinned
    context's value, for a JSON-LD processor that loads no remote context (JSON-LD 1.1 §4.1: an
    embedded context has the same effect as the referenced one). ``extra`` maps more URLs to
    context documents (tests use the W3C examples context). ValueError names an unknown URL."""
    context = document.get("@context")
    if context is None:
        return document
    inlined = []
    for item in context if isinstance(context, list) else [context]:
        if isinstance(item, str):
            if extra is not None and item in extra:
                source = extra[item]
            elif item in PINNED:
                source = pinned_context(item)
            else:
                raise ValueError(f"context {item!r} is not pinned in credsite (nothing is fetched)")
            item = source["@context"]
        inlined.append(item)
    return dict(document, **{"@context": inlined})
