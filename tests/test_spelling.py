"""`edition spellcheck` on the mini edition: it finds an uncorrected typo and honours the allow-list."""

from __future__ import annotations

import json

from conftest import edit, run_edition


def test_finds_an_unknown_word_with_a_suggestion(mini):
    edit(mini / "tei/source.xml", "begynnelsen på Den", "begynnelssen på Den")
    proc = run_edition("spellcheck", "--format", "json", "--root", str(mini))
    assert proc.returncode == 1
    found = json.loads(proc.stdout)
    assert [f["word"] for f in found] == ["begynnelssen"]
    assert "begynnelsen" in found[0]["suggestions"]
    assert found[0]["sentence"] == "nb.ch01.p1.s1" and found[0]["line"] > 0


def test_corrections_names_and_foreign_words_are_not_flagged(mini):
    proc = run_edition("spellcheck", "--root", str(mini))
    # the sic "i følge" is corrected, the Cyrillic is foreign, "Nikolai" is inside a name
    assert proc.returncode == 0, proc.stdout
    assert proc.stdout.strip() == "no unknown words"


def test_allowlist_needs_a_reason_and_is_honoured(mini):
    edit(mini / "tei/source.xml", "begynnelsen på Den", "begynnelssen på Den")
    edit(mini / "edition.toml", '[files]\n', '[files]\nspelling_allowlist = "tei/allow.tsv"\n')
    (mini / "tei/allow.tsv").write_text("begynnelssen\n", encoding="utf-8")
    proc = run_edition("spellcheck", "--root", str(mini))
    assert proc.returncode == 2 and "no reason" in proc.stderr
    (mini / "tei/allow.tsv").write_text("begynnelssen\ttest: accepted on purpose\n", encoding="utf-8")
    assert run_edition("spellcheck", "--root", str(mini)).returncode == 0
