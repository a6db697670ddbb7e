"""Write edition/rng/xpath1-memo.json: xpath1.translate()'s answers for the Schematron rules of a
TEI RelaxNG schema (default: the official tei_all beside the repository), shipped so that a first
run of `edition validate` does not parse them all again (see xpath1.seed).

    python tools/make_xpath1_memo.py [SCHEMA.rng]

Run it after changing xpath1.py (and bumping xpath1.REVISION); the tests recompute every answer.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from lxml import etree

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from edition.rng import schematron, xpath1  # noqa: E402


def main() -> None:
    schema = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO.parent / "shared" / "tei" / "tei_all.rng"
    rules = schematron.extract(etree.parse(str(schema)).getroot(), str(schema))
    xpath1._seeded = True  # start from nothing: every answer below is computed now
    schematron.Validator(rules)
    answers = dict(sorted(xpath1.memo().items()))
    xpath1.PACKAGED.write_text(json.dumps({"revision": xpath1.REVISION, "schema": schema.name, "answers": answers},
                                          ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"{len(answers)} answers written to {xpath1.PACKAGED.relative_to(REPO)}")


if __name__ == "__main__":
    main()
