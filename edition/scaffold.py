"""`edition new DIR`: a new edition project that validates and builds as it is.

It holds one short chapter that shows every part of the encoding contract: a name of each kind with
its register entry, a date, a correction, a supplied word, a claim with its fact-check note, the
translation and its alignment. Replace the text with your own and keep the structure.
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

from .errors import EditionError

HEADER = '''<teiHeader>
    <fileDesc>
      <titleStmt><title>{title}</title></titleStmt>
      <publicationStmt><p>{what}</p></publicationStmt>
      <sourceDesc><p>{source}</p></sourceDesc>
    </fileDesc>{encoding}
  </teiHeader>'''

PREFIXES = '''
      <listPrefixDef>
        <prefixDef ident="pers" matchPattern="([a-z0-9.-]+)" replacementPattern="{up}persons.xml#pers.$1"/>
        <prefixDef ident="place" matchPattern="([a-z0-9.-]+)" replacementPattern="{up}places.xml#place.$1"/>
        <prefixDef ident="org" matchPattern="([a-z0-9.-]+)" replacementPattern="{up}organisations.xml#org.$1"/>
      </listPrefixDef>'''

VERDICTS = [("correct", "Correct", "Korrekt"), ("inaccurate", "Inaccurate", "Unøyaktig"),
            ("incorrect", "Incorrect", "Feil"), ("contradictory", "Contradicted elsewhere in the text",
                                                 "Motsies et annet sted i teksten"),
            ("disputed", "Disputed", "Omstridt"), ("unverifiable", "Unverifiable", "Kan ikke etterprøves")]


def _source(title: str, src: str, tr: str) -> str:
    categories = "\n".join(
        f'          <category xml:id="verdict.{slug}"><catDesc xml:lang="en">{en}</catDesc>'
        f'<catDesc xml:lang="nb">{nb}</catDesc></category>' for slug, en, nb in VERDICTS)
    encoding = f'''
    <encodingDesc>
      <editorialDecl><p>Every character of the original is kept; corrections are made in markup. See docs/encoding.md of the edition toolkit.</p></editorialDecl>
      <classDecl>
        <taxonomy xml:id="verdicts">
{categories}
        </taxonomy>
      </classDecl>{PREFIXES.format(up="")}
    </encodingDesc>'''
    header = HEADER.format(title=title, what="A new edition made with `edition new`.",
                           source="Describe the source of the text here.", encoding=encoding)
    return f'''<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:lang="{src}">
  {header}
  <text>
    <front>
      <titlePage><docTitle><titlePart><s xml:id="{src}.title">{title}</s></titlePart></docTitle></titlePage>
    </front>
    <body>
      <div type="chapter" xml:id="{src}.ch01">
        <head><s xml:id="{src}.ch01.head">INNLEDNING</s></head>
        <p><s xml:id="{src}.ch01.p1.s1"><seg xml:id="claim.ch01.1"><persName ref="pers:ibsen">Henrik Ibsen</persName> ble født i <placeName ref="place:skien">Skien</placeName> <date when="1828-03-20">20. mars 1828</date></seg>.</s> <s xml:id="{src}.ch01.p1.s2">Han skrev <choice><sic>skuepsill</sic><corr>skuespill</corr></choice> for <orgName ref="org:christiania-theater">Christiania Theater</orgName> og <supplied reason="omitted">for</supplied> andre scener.</s></p>
      </div>
    </body>
    <back>
      <div type="fact-checks">
        <note type="fact-check" xml:id="fc.ch01.1" target="#claim.ch01.1" ana="#verdict.correct">
          <p xml:lang="en">Henrik Ibsen was born in Skien on 20 March 1828.</p>
          <p xml:lang="nb">Henrik Ibsen ble født i Skien 20. mars 1828.</p>
          <listBibl><bibl>Henrik Ibsen, Wikipedia, https://en.wikipedia.org/wiki/Henrik_Ibsen</bibl></listBibl>
        </note>
      </div>
    </back>
  </text>
</TEI>
'''


def _translation(title: str, src: str, tr: str) -> str:
    header = HEADER.format(title=f"{title} ({tr})", what="The translation of the edition.",
                           source="Translated from the corrected reading of the source.",
                           encoding=f"\n    <encodingDesc>{PREFIXES.format(up='../tei/')}\n    </encodingDesc>")
    return f'''<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:lang="{tr}">
  {header}
  <text>
    <front>
      <titlePage><docTitle><titlePart><s xml:id="{tr}.title">{title}</s></titlePart></docTitle></titlePage>
    </front>
    <body>
      <div type="chapter" xml:id="{tr}.ch01">
        <head><s xml:id="{tr}.ch01.head">INTRODUCTION</s></head>
        <p><s xml:id="{tr}.ch01.p1.s1"><persName ref="pers:ibsen">Henrik Ibsen</persName> was born in <placeName ref="place:skien">Skien</placeName> on <date when="1828-03-20">20 March 1828</date>.</s> <s xml:id="{tr}.ch01.p1.s2">He wrote plays for <orgName ref="org:christiania-theater">Christiania Theater</orgName> and for other stages.</s></p>
      </div>
    </body>
  </text>
</TEI>
'''


def _alignment(src: str, tr: str) -> str:
    header = HEADER.format(title="Alignment", what="The sentence alignment of the edition.",
                           source="Aligned by hand.", encoding=f'''
    <encodingDesc>
      <listPrefixDef>
        <prefixDef ident="{src}" matchPattern="([A-Za-z0-9.]+)" replacementPattern="../tei/source.xml#{src}.$1"/>
        <prefixDef ident="{tr}" matchPattern="([A-Za-z0-9.]+)" replacementPattern="source.{tr}.xml#{tr}.$1"/>
      </listPrefixDef>
    </encodingDesc>''')
    links = "\n".join(f'      <link target="{src}:{i} {tr}:{i}"/>' for i in ("title", "ch01.head", "ch01.p1.s1", "ch01.p1.s2"))
    return f'''<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0">
  {header}
  <standOff>
    <linkGrp type="alignment">
{links}
    </linkGrp>
  </standOff>
</TEI>
'''


def _register(kind: str, title: str, entries: str) -> str:
    header = HEADER.format(title=title, what=f"The {title.lower()} register of the edition.",
                           source="Compiled by the editors.", encoding="")
    return f'''<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0">
  {header}
  <standOff>
    <{kind}>
      {entries}
    </{kind}>
  </standOff>
</TEI>
'''


def project_files(title: str, source_lang: str, translation_lang: str) -> dict[str, str]:
    """The files of a new edition project, by path relative to its folder."""
    t = escape(title)
    toml_title = title.replace("\\", "\\\\").replace('"', '\\"')
    return {
        "edition.toml": f'''# The edition: which files make it, and how it is published (see `edition --help`).
[edition]
title = "{toml_title}"
source_lang = "{source_lang}"
translation_lang = "{translation_lang}"
editors = ["Your name"]
# base_url = "https://example.org/my-edition/"   # makes permalinks in citations absolute

[files]
source = "tei/source.xml"
translation = "translations/source.{translation_lang}.xml"
alignment = "translations/alignment.xml"

[registers]
persons = "tei/persons.xml"
places = "tei/places.xml"
organisations = "tei/organisations.xml"

[build]
output = "_site"
templates = "templates"   # a file here replaces the default template of the same name
''',
        "tei/source.xml": _source(t, source_lang, translation_lang),
        f"translations/source.{translation_lang}.xml": _translation(t, source_lang, translation_lang),
        "translations/alignment.xml": _alignment(source_lang, translation_lang),
        "tei/persons.xml": _register("listPerson", "Persons", '<person xml:id="pers.ibsen"><persName xml:lang="nb" type="canonical">Henrik Ibsen</persName><persName xml:lang="en">Henrik Ibsen</persName><birth when="1828-03-20"/><death when="1906-05-23"/><idno type="Wikidata">Q36661</idno></person>'),
        "tei/places.xml": _register("listPlace", "Places", '<place xml:id="place.skien"><placeName xml:lang="nb" type="canonical">Skien</placeName><placeName xml:lang="en">Skien</placeName></place>'),
        "tei/organisations.xml": _register("listOrg", "Organisations", '<org xml:id="org.christiania-theater"><orgName xml:lang="nb" type="canonical">Christiania Theater</orgName><orgName xml:lang="en">Christiania Theatre</orgName></org>'),
        "templates/README.md": "Put a template here to replace the default of the same name (for example `base.html`, "
                               "or `static/edition.css`); see the defaults in the toolkit's `templates/site/`.\n",
        ".gitignore": "_site/\n",
        "README.md": f"# {title}\n\nAn edition made with `edition`. Validate with `edition validate`, build the site with "
                     "`edition build`, preview it with `edition serve`.\n",
    }


def new_project(folder: Path, title: str = "My edition", source_lang: str = "nb", translation_lang: str = "en") -> list[Path]:
    """Create a new edition project in `folder` (which must be empty or not exist); returns the files written."""
    folder = Path(folder)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise EditionError("the folder exists and is not empty", str(folder), hint="choose a new folder")
    for code in (source_lang, translation_lang):
        if not code.replace("-", "").isalnum() or not code:
            raise EditionError(f"not a language code: {code!r}", hint="use a code such as nb, en or de")
    if source_lang == translation_lang:
        raise EditionError("the source and translation languages must differ")
    written = []
    for rel, text in project_files(title, source_lang, translation_lang).items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
