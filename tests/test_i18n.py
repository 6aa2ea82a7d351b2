"""The language catalogues: the same keys in bokmål and nynorsk, and every key a template uses."""

from __future__ import annotations

import re

import yaml

from fkj_cli.render import TEMPLATES


def catalogue(lang: str) -> dict[str, str]:
    data = yaml.safe_load((TEMPLATES / "i18n" / f"{lang}.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_both_languages_have_the_same_keys() -> None:
    nb, nn = catalogue("nb"), catalogue("nn")
    assert sorted(set(nb) - set(nn)) == [], "keys only in nb.yaml"
    assert sorted(set(nn) - set(nb)) == [], "keys only in nn.yaml"
    assert all(isinstance(v, str) and v for v in [*nb.values(), *nn.values()])


def test_every_key_a_template_uses_exists() -> None:
    known = set(catalogue("nb")) & set(catalogue("nn"))
    used: dict[str, set[str]] = {}
    for template in TEMPLATES.glob("*.j2"):
        text = template.read_text(encoding="utf-8")
        keys = set(re.findall(r"\bt\.([a-z_]+)", text)) | set(re.findall(r"\bt\[['\"]([a-z_]+)['\"]\]", text))
        used[template.name] = keys
    assert used, "no templates found"
    missing = {name: sorted(keys - known) for name, keys in used.items() if keys - known}
    assert missing == {}


def test_nynorsk_differs_where_the_languages_differ() -> None:
    nb, nn = catalogue("nb"), catalogue("nn")
    assert nb["resolution"] == "Forslag til vedtak"
    assert nn["resolution"] == "Framlegg til vedtak"
    assert nn["population"] == "Innbyggjarar"
