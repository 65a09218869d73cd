"""The verdict vectors (tests/vectors/verdict/) through the browser verifier in Chromium.

The same files run through the Python checklist (tests/test_verdict_vectors.py); both must give
the verdict and every check's status and code that the file names. The credential is parsed in
the page from the vector's text (so a "__proto__" member is what JSON.parse makes of it), and the
DID document and status lists are answered from the vector: a URL it does not have fails as a
network error would.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from vectors import verdict_cases

FILES = sorted(verdict_cases.FOLDER.glob("*.json"))

RUN = """async (v) => {
  const V = CredsiteVerifier;
  const documents = {};
  if (v.did_document) documents[V.didWebToUrl(v.did_document.id)] = v.did_document;
  Object.assign(documents, v.status_lists);
  const fetchJson = async (url) => {
    if (!Object.prototype.hasOwnProperty.call(documents, url)) throw new Error('HTTP 404');
    return JSON.parse(JSON.stringify(documents[url]));
  };
  const result = await V.verifyCredential(JSON.parse(v.text), {
    now: new Date(v.now),
    fetchJson: fetchJson,
    text: v.text,
    site: { did: v.site.did, baseUrl: v.site.base_url },
    pageUrl: v.page ? v.page.url : undefined,
    pageKind: v.page ? v.page.kind : undefined,
    framed: v.page ? v.page.framed : false,
  });
  const checks = {};
  for (const c of result.checks) checks[c.name] = { status: c.status, code: c.code };
  return { verdict: result.verdict, checks: checks };
}"""


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_browser_verifier(path: Path, core_harness: Any) -> None:
    vector = json.loads(path.read_text(encoding="utf-8"))
    assert core_harness.page.evaluate(RUN, vector) == vector["expected"], vector["description"]
