"""Credentials carry the Open Badges ``achievement.image`` (OB 3.0 §B.1.1, an Image §B.1.16), so that
wallets and badge platforms show the badge; it is the PNG the build publishes."""

from __future__ import annotations

import json
from pathlib import Path

from PIL import Image

DEMO_BASE_URL = "http://localhost:8000"


def test_every_credential_names_a_published_badge_png(demo_output: Path) -> None:
    files = sorted((demo_output / "c").glob("*.json"))
    assert files
    for path in files:
        achievement = json.loads(path.read_bytes())["credentialSubject"]["achievement"]
        image = achievement["image"]
        assert image["type"] == "Image" and image["caption"] == f"{achievement['name']} badge"
        assert image["id"].startswith(f"{DEMO_BASE_URL}/") and image["id"].endswith(".png")
        png = demo_output / image["id"].removeprefix(f"{DEMO_BASE_URL}/")
        with Image.open(png) as picture:
            assert picture.format == "PNG" and picture.size[0] >= 256, png
