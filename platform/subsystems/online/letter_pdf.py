"""The letter as PDF (ログインID・初期パスワードのお知らせ, ONLINE-1): one A4 page per respondent, for the
agency to print and post. The CSV form (respondents.letter_csv) holds the same lines for mail merge.

Japanese text is set in IPAex Gothic, embedded in the file (a subset of the glyphs used, TrueType
outlines as FontFile2), so the letter prints the same on any machine and reader: a non-embedded CID
font (HeiseiKakuGo-W5, as before) is drawn with whatever Japanese font the reader substitutes, or as
blanks where it has none. The font file is Debian's fonts-ipaexfont-gothic (IPA Font License v1.0;
ops/system-deps.sh installs it, the image's Dockerfile too; docs/fonts.md). reportlab embeds TrueType
(glyf) fonts only, not the CFF-flavoured Noto CJK OpenType fonts. The login ID and password are in
Courier, whose glyphs cannot be confused on paper (the password alphabet leaves out 0/O, 1/l/I); it
and Helvetica are PDF base-14 fonts that every reader carries."""

from __future__ import annotations

import datetime as dt
import functools
import io
import os

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from govstat.platform.subsystems.online.rows import SurveyRow
from govstat.platform.subsystems.online.schemas import Credential

GOTHIC = "IPAexGothic"
# Debian's fonts-ipaexfont-gothic; GOVSTAT_LETTER_FONT names another TrueType file (a Japanese one)
FONT_FILE = "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf"
MONO = "Courier-Bold"
JST = dt.timezone(dt.timedelta(hours=9))


class FontMissing(RuntimeError):
    pass


@functools.cache
def register_font() -> str:
    """The Japanese font registered with reportlab (once per process); its file's path."""
    path = os.environ.get("GOVSTAT_LETTER_FONT") or FONT_FILE
    if not os.path.isfile(path):
        raise FontMissing(
            f"the letter's Japanese font {path} is missing: install Debian's fonts-ipaexfont-gothic"
            " (ops/system-deps.sh does) or set GOVSTAT_LETTER_FONT to a Japanese TrueType font"
        )
    pdfmetrics.registerFont(TTFont(GOTHIC, path))  # subset embedded in each PDF that uses it
    return path


def _page(c: Canvas, survey: SurveyRow, cred: Credential, deadline: str, url: str) -> None:
    width, height = A4
    left, y = 25 * mm, height - 30 * mm
    c.setFont(GOTHIC, 10)
    for line in (" / ".join(cred.units), cred.address):
        c.drawString(left, y, line[:60])
        y -= 6 * mm
    c.drawString(left, y, "ご担当者様")
    y -= 18 * mm
    c.setFont(GOTHIC, 15)
    c.drawCentredString(width / 2, y, f"{survey.name_ja} オンライン回答のお知らせ")
    y -= 7 * mm
    c.setFont("Helvetica", 10)
    c.drawCentredString(width / 2, y, "Your login ID and initial password for answering online")
    y -= 16 * mm
    c.setFont(GOTHIC, 10.5)
    for line in (
        "次のログインIDと初期パスワードで、回答用のページからご回答ください。",
        "初めてログインしたときに、ご自身で決めたパスワードへの変更をお願いします。",
        "この通知書は他の人に見られないよう保管してください。",
    ):
        c.drawString(left, y, line)
        y -= 6.5 * mm
    y -= 6 * mm
    rows = (
        ("回答用のページ / Answer at", url, "Helvetica"),
        ("ログインID / Login ID", cred.login, MONO),
        ("初期パスワード / Initial password", cred.password, MONO),
        ("回答期限 / Deadline", deadline, GOTHIC),
        ("回答者ID / Respondent", cred.respondent_code, MONO),
    )
    c.setLineWidth(0.6)
    c.rect(left - 4 * mm, y - len(rows) * 11 * mm + 4 * mm, width - 2 * left + 8 * mm, len(rows) * 11 * mm)
    for label, value, font in rows:
        c.setFont(GOTHIC, 9.5)
        c.drawString(left, y - 3 * mm, label)
        c.setFont(font, 13 if font == MONO else 11)
        c.drawString(left + 62 * mm, y - 3 * mm, value)
        y -= 11 * mm
    y -= 10 * mm
    c.setFont("Helvetica", 9)
    for line in (
        "Sign in with the login ID and initial password above; you will be asked to choose a new password.",
        "If this letter is lost, ask the survey office for a new one, or use the e-mail address you gave us",
        f"at {url}/forgot to set a new password.",
    ):
        c.drawString(left, y, line)
        y -= 5 * mm
    c.setFont(GOTHIC, 9)
    c.drawString(left, 20 * mm, f"{survey.name_ja}（調査コード {survey.code}）")
    c.showPage()


def letter_pdf(survey: SurveyRow, credentials: list[Credential], base_url: str) -> bytes:
    """Every respondent's page in one file; nothing of it is kept (the passwords exist only here)."""
    register_font()
    out = io.BytesIO()
    c = Canvas(out, pagesize=A4, pageCompression=1)
    c.setTitle(f"{survey.name_ja} ログインID・初期パスワードのお知らせ")
    c.setAuthor("govstat")
    deadline = survey.deadline_at.astimezone(JST).strftime("%Y年%m月%d日 %H:%M")
    for cred in credentials:
        _page(c, survey, cred, deadline, f"{base_url}/online")
    c.save()
    return out.getvalue()
