"""The rule engines (mtaudit/engines/): their knowledge is data, loaded with file:line errors."""

from __future__ import annotations

import re

import pytest

from mtaudit.core.resources import ResourceFormatError
from mtaudit.engines import inflection


def test_inflection_rules_come_from_the_data_file():
    assert inflection.adjective_forms("nouveau") == {
        "nouveau", "nouveaux", "nouvel", "nouvelle", "nouvelles",
    }  # fmt: skip
    assert inflection.inflect_adjective("actif", "f", "p") == "actives"
    assert inflection.conjugate_er("lever", "e") == "lève"
    assert inflection.er_ending("supporter", "supportons") == "ons"


@pytest.mark.parametrize(
    "text, message",
    [
        ("table\tending\tforms\ner-ending\te\tloud\n", "inflection.tsv:2: an er-ending is"),
        ("table\tending\tforms\nplural\tal\taux\n", "inflection.tsv:2: bad form 'aux'"),
        ("table\tending\tforms\nsingular\tal\t+\n", "inflection.tsv:2: unknown table 'singular'"),
        ("table\tending\tforms\nplural\tal\n", "inflection.tsv:2: expected at least 3"),
    ],
)
def test_inflection_errors_name_file_and_line(tmp_path, text, message):
    path = tmp_path / "inflection.tsv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ResourceFormatError, match=re.escape(message)):
        inflection.load_tables(path)
