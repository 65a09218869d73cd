"""Which library canonicalizes credsite's credentials for eddsa-rdfc-2022: pyld or pyoxigraph.

Prints, for each: whether it reproduces the W3C eddsa-rdfc-2022 vector's canonical N-Quads
(document and proof configuration), whether it gives the same N-Quads as the other on every demo
award, and milliseconds per credential (JSON-LD to RDF plus RDFC-1.0, best of three rounds).
pyld expands with its own JSON-LD processor and a document loader serving the pinned contexts
(it caches processed contexts); pyoxigraph parses the document with the pinned contexts inlined
(its parser loads no remote context) and canonicalizes with its RDFC-1.0.

    python bench/rdfc_bench.py [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pyld import jsonld  # noqa: E402

from credsite.trust import rdfc  # noqa: E402
from credsite.trust.contexts import PINNED, pinned_context  # noqa: E402

VECTOR = ROOT / "tests" / "vectors" / "eddsa-rdfc-2022"
EXAMPLES = "https://www.w3.org/ns/credentials/examples/v2"
EXTRA = {EXAMPLES: json.loads((ROOT / "tests" / "vectors" / "credentials-examples-v2.jsonld")
                              .read_text(encoding="utf-8"))}


def pyld_nquads(document: dict[str, Any]) -> str:
    def loader(url: str, options: Any = None) -> dict[str, Any]:
        source = EXTRA[url] if url in EXTRA else pinned_context(url)
        return {"contextUrl": None, "documentUrl": url, "document": source}

    return str(jsonld.normalize(document, {"algorithm": "URDNA2015",
                                           "format": "application/n-quads",
                                           "documentLoader": loader}))


def pyoxigraph_nquads(document: dict[str, Any]) -> str:
    return rdfc.canonical_nquads(document, EXTRA)


def demo_awards() -> list[dict[str, Any]]:
    awards = []
    for path in sorted((ROOT / "content" / "awards").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            credential = json.loads(line)
            credential.pop("proof", None)
            awards.append(credential)
    return awards


def per_credential_ms(canon: Callable[[dict[str, Any]], str], docs: list[dict[str, Any]],
                      rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for doc in docs:
            canon(doc)
        best = min(best, (time.perf_counter() - start) / len(docs))
    return best * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--limit", type=int, default=50, help="demo awards to time (default 50)")
    args = parser.parse_args()
    unsigned = json.loads((VECTOR / "unsigned.json").read_text(encoding="utf-8"))
    config = json.loads((VECTOR / "proofConfigDataInt.json").read_text(encoding="utf-8"))
    expected = ((VECTOR / "canonDocDataInt.txt").read_text(encoding="utf-8"),
                (VECTOR / "proofCanonDataInt.txt").read_text(encoding="utf-8"))
    docs = demo_awards()[:args.limit]
    assert docs, "the demo has no awards"
    same = sum(pyld_nquads(d) == pyoxigraph_nquads(d) for d in docs)
    print(f"pinned contexts: {', '.join(PINNED)}")
    print(f"demo awards with identical N-Quads from both libraries: {same} of {len(docs)}\n")
    print("| library | W3C vector (document, proof config) | ms per credential |")
    print("| --- | --- | --- |")
    for name, canon in (("pyld", pyld_nquads), ("pyoxigraph", pyoxigraph_nquads)):
        vector = (canon(unsigned), canon(config)) == expected
        ms = per_credential_ms(canon, docs, args.rounds)
        print(f"| {name} | {'reproduced' if vector else 'DIFFERS'} | {ms:.1f} |")


if __name__ == "__main__":
    main()
