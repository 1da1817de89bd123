"""A one-page PDF leaflet for an event, written by hand: no PDF library.

The page uses the PDF standard fonts Helvetica and Helvetica-Bold, which
every reader has, so nothing is embedded and the file stays a few KB.
Lines are wrapped with the fonts' own character widths.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from volunteer_hub.events.models import Event
from volunteer_hub.timefmt import format_when

PAGE_WIDTH, PAGE_HEIGHT = 612, 792  # US Letter, in points
MARGIN = 54
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN

ACCENT = (0.541, 0.110, 0.110)  # the site's --accent
INK = (0.106, 0.106, 0.122)
MUTED = (0.314, 0.314, 0.353)
WHITE = (1.0, 1.0, 1.0)

#: Advance widths (thousandths of the font size) of the printable ASCII
#: characters, space to tilde, as poppler measures the standard fonts.
_ASCII = "".join(chr(code) for code in range(32, 127))
WIDTHS = {
    "F1": dict(zip(_ASCII, (
        278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
        556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
        1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
        667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
        333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
        556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
    ), strict=True)),
    "F2": dict(zip(_ASCII, (
        278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278,
        556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611,
        975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778,
        667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556,
        333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611,
        611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584,
    ), strict=True)),
}
REGULAR, BOLD = "F1", "F2"
#: Fonts by their resource names on the page.
FONTS = {REGULAR: "Helvetica", BOLD: "Helvetica-Bold"}


def text_width(text: str, font: str, size: float) -> float:
    """How wide ``text`` is set in ``font`` at ``size`` points."""
    widths = WIDTHS[font]
    total = 0
    for char in text:
        base = unicodedata.normalize("NFKD", char)[:1] or char  # é is as wide as e
        total += widths.get(char, widths.get(base, 556))
    return total * size / 1000


def wrap(text: str, font: str, size: float, width: float = TEXT_WIDTH) -> list[str]:
    """``text`` broken into lines no wider than ``width``, between words."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if line and text_width(candidate, font, size) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    if line:
        lines.append(line)
    return lines


def _string(text: str) -> bytes:
    """A PDF literal string in WinAnsiEncoding (the standard fonts' own)."""
    raw = text.encode("cp1252", errors="replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def _colour(rgb: tuple[float, float, float], operator: str) -> str:
    return " ".join(f"{part:.3f}" for part in rgb) + f" {operator}"


@dataclass
class Page:
    """Drawing on one page, top to bottom; ``y`` is the next baseline."""

    y: float = PAGE_HEIGHT - MARGIN
    operations: list[bytes] = field(default_factory=list)

    def rectangle(self, x: float, y: float, width: float, height: float,
                  rgb: tuple[float, float, float]) -> None:
        self.operations.append(
            f"{_colour(rgb, 'rg')} {x:.2f} {y:.2f} {width:.2f} {height:.2f} re f".encode())

    def rule(self, rgb: tuple[float, float, float] = MUTED, gap: float = 18) -> None:
        self.y -= gap / 2
        self.operations.append(f"{_colour(rgb, 'RG')} 0.75 w {MARGIN} {self.y:.2f} m "
                               f"{PAGE_WIDTH - MARGIN} {self.y:.2f} l S".encode())
        self.y -= gap / 2

    def line(self, text: str, font: str, size: float, rgb: tuple[float, float, float] = INK,
             x: float = MARGIN) -> None:
        self.operations.append(
            f"BT /{font} {size} Tf {_colour(rgb, 'rg')} {x:.2f} {self.y:.2f} Td ".encode()
            + _string(text) + b" Tj ET")

    def paragraph(self, text: str, font: str, size: float,
                  rgb: tuple[float, float, float] = INK, leading: float = 1.3,
                  after: float = 0) -> None:
        for line in wrap(text, font, size):
            self.line(line, font, size, rgb)
            self.y -= size * leading
        self.y -= after

    def content(self) -> bytes:
        return b"\n".join(self.operations)


def write_pdf(content: bytes, title: str) -> bytes:
    """A complete one-page PDF around a content stream, with its
    cross-reference table pointing at each object's byte offset."""
    info_title = "<FEFF" + title.encode("utf-16-be").hex().upper() + ">"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_WIDTH} {PAGE_HEIGHT}] "
         f"/Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> /Contents 6 0 R >>").encode(),
        *(f"<< /Type /Font /Subtype /Type1 /BaseFont /{FONTS[name]} "
          f"/Encoding /WinAnsiEncoding >>".encode() for name in (REGULAR, BOLD)),
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        f"<< /Title {info_title} /Creator (Volunteer Hub) >>".encode(),
    ]
    # The binary comment tells transfer programs the file is not text.
    pdf = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\n" % (len(objects) + 1,
                                                                     len(objects))
    pdf += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(pdf)


def _opening(markdown: str, count: int = 2) -> list[str]:
    """The description's first paragraphs of prose, without Markdown's marks."""
    paragraphs = []
    for block in markdown.strip().split("\n\n"):
        if len(paragraphs) == count or block.lstrip().startswith(("-", "*", "1.")):
            break
        paragraphs.append(" ".join(re.sub(r"[*_`#>]", "", block).split()))
    return paragraphs


def event_leaflet(event: Event, *, event_url: str, campaign: str) -> bytes:
    """The event on one page: the campaign, the title, each place with its
    own time and address, and where to RSVP."""
    page = Page()
    band = wrap(campaign.upper(), BOLD, 11)
    band_height = 22 + 15 * len(band)
    page.rectangle(0, PAGE_HEIGHT - band_height, PAGE_WIDTH, band_height, ACCENT)
    page.y = PAGE_HEIGHT - 24
    for line in band:
        page.line(line, BOLD, 11, WHITE)
        page.y -= 15
    page.y = PAGE_HEIGHT - band_height - 52

    # "Headline: what it is" reads best as a headline and a subtitle.
    headline, _, subtitle = event.title.rpartition(": ")
    page.paragraph(headline or subtitle, BOLD, 30, ACCENT, leading=1.15, after=4)
    if headline:
        page.paragraph(subtitle, BOLD, 21, INK, leading=1.2, after=6)
    for paragraph in _opening(event.description):
        page.paragraph(paragraph, REGULAR, 12, INK, leading=1.35, after=6)
    page.rule()

    for venue in event.venues:
        page.y -= 6
        page.paragraph(venue.name, BOLD, 17, INK, leading=1.35)
        starts_at = venue.local_starts_at
        when = (format_when(starts_at, venue.local_ends_at, venue.timezone, "en") if starts_at
                else "Date and time to be announced")
        page.paragraph(when, BOLD, 12.5, ACCENT)
        page.paragraph(venue.address, REGULAR, 12.5, MUTED, after=8)
    if event.online:
        page.y -= 6
        page.paragraph("Online", BOLD, 17, INK, leading=1.35)
        when = (format_when(event.starts_at, event.ends_at, event.timezone, "en") if event.starts_at
                else "Date and time to be announced")
        page.paragraph(when, BOLD, 12.5, ACCENT)
        page.paragraph("The link to watch is sent to everyone who RSVPs online.",
                       REGULAR, 12.5, MUTED, after=8)
    page.rule()

    page.y -= 8
    page.paragraph("RSVP, free, in person or online:", BOLD, 14, INK, leading=1.5)
    page.paragraph(event_url, BOLD, 15, ACCENT, leading=1.6)
    page.paragraph("A first name or a pseudonym is fine. Only the campaign's coordinators "
                   "see who is coming.", REGULAR, 11.5, MUTED)

    page.y = MARGIN - 8
    page.line(campaign, REGULAR, 9, MUTED)
    return write_pdf(page.content(), f"Leaflet: {event.title}")
