"""A report's text from what an analyst pastes or uploads: decoded, reduced to its article, normalised.

Pure (bytes or text in, text out; no database). The admin's add form of a
report calls it (`sources.admin.ReportAddForm`).

- `normalise_text`: only what keeps quotes anchorable. Line endings become
  "\\n", spaces at the end of lines go, control characters (NUL...) and
  byte-order marks go. Curly quotes, apostrophes, non-breaking spaces and
  everything else the publisher typed stay as they are: quotes anchor in the
  text as published (`claims.anchoring`).
- `decode`: a file's bytes as text, trying its byte-order mark, the charset an
  HTML file declares, UTF-8, then Windows-1252 (which reads every Latin-1 text
  file too: they differ only in C1 control codes, which no text holds), and
  saying which it used; a file none of them reads, or holding NUL bytes, is
  refused with the reason.
- `read_html`: the article text of an HTML page (trafilatura: boilerplate,
  menus, comments left out) and its title, date, site name, author and
  address when its metadata has them.
"""

from __future__ import annotations

import codecs
import contextlib
import datetime
import re
from dataclasses import dataclass

UPLOAD_EXTENSIONS = {".txt": "text/plain", ".html": "text/html", ".htm": "text/html"}
# The largest file taken (bytes): a web page is mostly markup, so several times the text it carries
# (sources.models.BODY_LIMIT characters at most). Kept as the report's original, it rides in a form
# re-rendered after an error, which must fit settings.DATA_UPLOAD_MAX_MEMORY_SIZE beside the text.
UPLOAD_LIMIT = 5_000_000


class Unreadable(ValueError):
    """The file cannot be read as text: the message says why and what to do."""


# --------------------------------------------------------------------------------------------------------------
# Normalising

_LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_TRAILING = re.compile(r"[^\S\n]+$", re.MULTILINE)
# Control characters but the tab and the line feed, and the byte-order mark (U+FEFF, also "zero-width
# no-break space", which nobody types on purpose).
_CONTROLS = {code: None for code in (*range(0x00, 0x20), *range(0x7F, 0xA0), 0xFEFF) if chr(code) not in "\t\n"}


def normalise_text(text: str) -> str:
    """`text` as a report's body: "\\n" line endings, no spaces at the end of a line, no control characters,
    no whitespace at either end. Typography is kept (’ « » U+00A0 U+202F...)."""
    text = _LINE_BREAKS.sub("\n", text).translate(_CONTROLS)
    return _TRAILING.sub("", text).strip()


# --------------------------------------------------------------------------------------------------------------
# Decoding

_BOMS = [(codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")]
_DECLARED = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
# As browsers read them (WHATWG Encoding): a page declaring Latin-1 or ASCII is read as Windows-1252.
_AS_BROWSERS_READ = {"latin_1": "cp1252", "iso8859-1": "cp1252", "ascii": "cp1252"}
_NAMES = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 (with a byte-order mark)", "utf-16": "UTF-16", "cp1252": "Windows-1252"}


def encoding_name(codec: str) -> str:
    """How a person names the encoding: "UTF-8", "Windows-1252"."""
    name = codecs.lookup(codec).name
    return _NAMES.get(name, name.upper())


def _declared(data: bytes) -> str | None:
    found = _DECLARED.search(data[:4096])
    if found is None:
        return None
    try:
        name = codecs.lookup(found.group(1).decode("ascii")).name
    except LookupError:
        return None  # a charset Python does not know: the others are tried
    return _AS_BROWSERS_READ.get(name, name)


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # the codec's name: "utf-8", "cp1252"...

    @property
    def encoding_name(self) -> str:
        return encoding_name(self.encoding)


def decode(data: bytes, *, name: str, html: bool = False) -> Decoded:
    """`data` as text, with the encoding it was read in; Unreadable (saying why) when it is not text."""
    candidates = [codec for bom, codec in _BOMS if data.startswith(bom)][:1]
    if not candidates and html:
        candidates += [codec for codec in [_declared(data)] if codec]
    candidates += ["utf-8", "cp1252"]
    tried = []
    for codec in dict.fromkeys(candidates):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError as error:
            tried.append(f"{encoding_name(codec)} (byte 0x{data[error.start]:02X} at {error.start:,})")
            continue
        if "\x00" in text:
            raise Unreadable(
                f"“{name}” is not a text file: it holds NUL bytes (a binary file, or UTF-16 without a "
                "byte-order mark). Save it as UTF-8 text and upload it again."
            )
        return Decoded(text=text, encoding=codecs.lookup(codec).name)
    raise Unreadable(
        f"“{name}” could not be read as text: tried {', then '.join(tried)}. "
        "Save it as UTF-8 text and upload it again, or paste its text."
    )


# --------------------------------------------------------------------------------------------------------------
# HTML

# Spaces the extraction would turn into plain ones (it collapses every run of whitespace): stood in for by
# printable characters while it runs, so that "2\u00a0000" and "«\u202fici\u202f»" keep the publisher's spaces.
_KEPT_SPACES = ["\u00a0", "\u1680", *map(chr, range(0x2000, 0x200B)), "\u202f", "\u205f", "\u3000"]  # Zs but " "
# Yijing hexagrams (U+4DC0..U+4DFF): printable, not whitespace, never in a news report. Any a page holds are
# skipped, so a stand-in never meets a real one.
_STAND_INS = [chr(code) for code in range(0x4DC0, 0x4E00)]


@dataclass(frozen=True)
class HtmlText:
    """The article of an HTML page and what its metadata says (empty when it says nothing)."""

    text: str
    title: str = ""
    published: datetime.date | None = None
    site: str = ""
    author: str = ""
    url: str = ""


def read_html(html: str) -> HtmlText:
    """The article text of the page `html` (normalised) and its metadata; Unreadable when it has no article."""
    import trafilatura  # loaded on the first upload only (lxml, dateparser...)

    tree = trafilatura.load_html(html)
    if tree is None:
        raise Unreadable("This file could not be read as HTML. Paste the article's text instead.")
    texts = "".join(piece for element in tree.iter() for piece in (element.text, element.tail) if piece)
    stand_ins = dict(zip(_KEPT_SPACES, (char for char in _STAND_INS if char not in texts), strict=False))
    into, back = str.maketrans(stand_ins), str.maketrans({v: k for k, v in stand_ins.items()})
    for element in tree.iter():
        if element.text:
            element.text = element.text.translate(into)
        if element.tail:
            element.tail = element.tail.translate(into)
    document = trafilatura.bare_extraction(
        tree,
        with_metadata=True,
        include_comments=False,
        # Only the date the page declares: a date guessed from its text would be silently wrong.
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    text = normalise_text((document.text or "").translate(back)) if document is not None else ""
    if not text:
        raise Unreadable("No article text was found in this page. Paste the article's text instead.")

    def meta(name: str) -> str:
        return " ".join((getattr(document, name, None) or "").translate(back).split())

    published = None
    with contextlib.suppress(ValueError):  # a date the page declares that is no date: none
        published = datetime.date.fromisoformat(meta("date")[:10])
    return HtmlText(
        text=text,
        title=meta("title"),
        published=published,
        site=meta("sitename"),
        author=meta("author"),
        url=meta("url"),
    )
