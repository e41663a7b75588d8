"""Messages in French by default, in English on request, through a gettext catalog."""

from __future__ import annotations

import gettext
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from mtaudit.core import i18n

ROOT = Path(__file__).resolve().parent.parent
TEXT = (
    "Selon l'adviseur de Poutine, le sommet a eu lieu Wednesday. "
    "Yesterday, il est arrivé à 3 p.m. heure locale.\n"
)


def scan(tmp_path: Path, *args: str, config: str | None = None) -> subprocess.CompletedProcess:
    src = tmp_path / "a.txt"
    src.write_text(TEXT, encoding="utf-8")
    if config is not None:
        (tmp_path / "mtaudit.toml").write_text(config, encoding="utf-8")
    exe = Path(sys.executable).with_name("mtaudit")
    return subprocess.run(
        [str(exe), "scan", "--no-lm", "--format", "json", *args, str(src)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )


def messages(p: subprocess.CompletedProcess) -> dict[str, str]:
    (art,) = json.loads(p.stdout)["articles"]
    return {f["text"]: f["message"] for f in art["findings"]}


def test_messages_are_french_by_default(tmp_path):
    m = messages(scan(tmp_path))
    assert m["Wednesday"] == "Nom de jour anglais"
    assert m["3 p.m."].startswith("Heure sur 12 heures")
    assert m["adviseur"].startswith("« Adviseur » n’est pas français") or m["adviseur"].startswith(
        "Anglicisme : « Adviseur » n’est pas français"
    )
    assert m["Yesterday"] == "Anglais non traduit (mot)"


def test_english_on_request_by_option_and_by_configuration(tmp_path):
    by_option = messages(scan(tmp_path, "--lang", "en"))
    assert by_option["Wednesday"] == "English day name"
    assert by_option["Yesterday"] == "Untranslated English word"
    by_config = messages(scan(tmp_path, config='messages = "en"\n'))
    assert by_config == by_option


def test_unknown_message_language_is_a_usage_error(tmp_path):
    p = scan(tmp_path, "--lang", "de")
    assert p.returncode == 2 and "unknown message language 'de'" in p.stderr
    p = scan(tmp_path, config='messages = "de"\n')
    assert p.returncode == 2 and "messages" in p.stderr and "mtaudit.toml" in p.stderr


def test_the_language_is_in_the_signature(tmp_path):
    fr = json.loads(scan(tmp_path).stdout)["signature"]
    en = json.loads(scan(tmp_path, "--lang", "en").stdout)["signature"]
    assert "messages:fr" in fr and "messages:en" in en


def test_every_message_of_the_code_has_its_french():
    p = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "i18n_update.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert p.returncode == 0, p.stdout


def test_translations_keep_the_fields_of_their_message():
    fields = re.compile(r"\{[^{}]*\}")
    catalog = i18n.parse_po(i18n.po_path("fr"))
    assert len(catalog) >= 70
    bad = {k: v for k, v in catalog.items() if sorted(fields.findall(k)) != sorted(fields.findall(v))}
    assert bad == {}


def test_compiled_catalog_is_a_standard_mo_file():
    data = i18n.compile_po({"English day name": "Nom de jour anglais", "é": "è"})
    t = gettext.GNUTranslations(io.BytesIO(data))
    assert t.gettext("English day name") == "Nom de jour anglais"
    assert t.gettext("é") == "è"
    assert t.gettext("not there") == "not there"


def test_malformed_catalog_names_file_and_line(tmp_path):
    po = tmp_path / "x.po"
    po.write_text('msgid "a"\nmsgstr "b"\n\nmsgid "c"\nnonsense\n', encoding="utf-8")
    with pytest.raises(i18n.CatalogError, match=r"x\.po:5:"):
        i18n.parse_po(po)


def test_fuzzy_entries_are_not_used(tmp_path):
    po = tmp_path / "x.po"
    po.write_text('#, fuzzy\nmsgid "a"\nmsgstr "b"\n\nmsgid "c"\nmsgstr "d"\n', encoding="utf-8")
    assert i18n.parse_po(po) == {"c": "d"}
