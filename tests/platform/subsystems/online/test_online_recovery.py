"""ONLINE-1: the letter as PDF (a page per respondent, to print, its Japanese font embedded), and a new password through the
respondent's verified e-mail: a link only when login ID and address match, the same answer either
way, one use, ends open sessions, at most three links an hour; the mail leaves through the worker's
queue, and a failed SMTP send is sent again."""

import io
import re

import pytest
from pypdf import PdfReader

from govstat.platform.subsystems.online import letter_pdf
from govstat.platform.subsystems.online.recovery import mail
from tests.platform.subsystems.online.online_support import (
    NEW_PASSWORD,
    agency,
    households,
    respondent_signed_in,
    roster,
    survey_body,
    survey_with_respondents,
)
from tests.support.factories import another_client
from tests.support.queued_jobs import clear_queued_jobs, run_worker


async def test_the_letter_prints_as_a_pdf_page_per_respondent(client):
    _, h = await agency()
    s = (await client.post("/api/online/surveys", json=survey_body(), headers=h)).json()
    r = await client.post(
        f"/api/online/surveys/{s['id']}/respondents",
        content=roster(households(3)),
        headers={**h, "content-type": "text/csv", "accept": "application/pdf"},
    )
    assert r.status_code == 201 and r.headers["content-type"] == "application/pdf", r.text
    assert r.headers["cache-control"] == "no-store"
    pdf = PdfReader(io.BytesIO(r.content))
    assert len(pdf.pages) == 3
    for page in pdf.pages:
        assert _embedded_fonts(page) == {"IPAexGothic"}  # and no Japanese font left to the reader
    first = pdf.pages[0].extract_text()
    # the embedded subset maps back to Unicode: the Japanese text is the text that was set
    assert "家計の状況に関する調査 オンライン回答のお知らせ" in first and "ご担当者様" in first
    assert "初めてログインしたときに、ご自身で決めたパスワードへの変更をお願いします。" in first
    login = re.search(r"R[0-9]{11}", first).group(0)
    password = re.search(r"[A-Za-z2-9]{4}-[A-Za-z2-9]{4}-[A-Za-z2-9]{4}", first).group(0)
    # the printed password is the one that signs in (it is in no other place)
    ok = await client.post("/auth/login", json={"login": login, "password": password})
    assert ok.status_code == 200 and ok.json()["roles"] == ["respondent"]


def test_without_its_font_the_letter_says_which_package_to_install(monkeypatch):
    monkeypatch.setenv("GOVSTAT_LETTER_FONT", "/nonexistent/ipaexg.ttf")
    letter_pdf.register_font.cache_clear()
    try:
        with pytest.raises(letter_pdf.FontMissing, match="fonts-ipaexfont-gothic"):
            letter_pdf.register_font()
    finally:
        letter_pdf.register_font.cache_clear()


BASE14 = {"Helvetica", "Courier-Bold"}  # the PDF standard fonts every reader carries (Latin only)


def _embedded_fonts(page) -> set[str]:
    """The page's fonts that carry their own TrueType outlines (FontFile2); fails on any other font
    that is not one of the standard Latin ones."""
    embedded = set()
    for font in page["/Resources"]["/Font"].values():
        font = font.get_object()
        name = str(font["/BaseFont"]).lstrip("/").partition("+")[2] or str(font["/BaseFont"]).lstrip("/")
        if name in BASE14:
            continue
        descriptor = font["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor and len(descriptor["/FontFile2"].get_object().get_data()) > 1000, name
        embedded.add(name)
    return embedded


def _link(box) -> str:
    body = box.messages[-1][1].get_content()
    return re.search(r"/online/recover\?token=([A-Za-z0-9_-]+)", body).group(1)


async def _until_mail(box, n: int) -> None:
    await run_worker(poll_delay=0.05)
    assert len(box.messages) == n, f"{len(box.messages)} messages, expected {n}"


async def test_a_new_password_by_verified_e_mail(client, app, mailbox):
    await clear_queued_jobs()  # the burst worker runs this module's mail, not another's backlog
    _, h = await agency()
    _, creds = await survey_with_respondents(client, h, n=2)
    me, other = creds
    async with another_client(app) as signed_in:  # a session open elsewhere, ended by the change
        await respondent_signed_in(signed_in, me)
        assert (await signed_in.get("/online")).status_code == 200
        # a wrong address, and someone else's address: the same answer, and no mail
        for email in ("nobody@example.jp", other["email"]):
            r = await client.post("/online/forgot", data={"login": me["login"], "email": email})
            assert r.status_code == 200 and 'id="asked"' in r.text
        await _until_mail(mailbox, 0)
        # the registered address (case aside): a link, to that address only
        r = await client.post("/online/forgot", data={"login": me["login"].lower(), "email": me["email"].upper()})
        assert r.status_code == 200 and 'id="asked"' in r.text
        await _until_mail(mailbox, 1)
        assert mailbox.messages[0][0] == [me["email"]]
        token = _link(mailbox)
        page = await client.get("/online/recover", params={"token": token})
        assert page.status_code == 200 and 'name="new"' in page.text
        short = await client.post("/online/recover", data={"token": token, "new": "short", "again": "short"})
        assert short.status_code == 422 and "12" in short.text  # the link is not spent by a refusal
        new = "recovered-by-mail-2026"
        done = await client.post("/online/recover", data={"token": token, "new": new, "again": new})
        assert done.status_code == 200 and 'id="done"' in done.text
        assert (await signed_in.get("/online")).status_code == 401
    # once only
    again = await client.post("/online/recover", data={"token": token, "new": new, "again": new})
    assert again.status_code == 422 and 'id="expired"' in again.text
    assert (await client.get("/online/recover", params={"token": token})).status_code == 410
    async with another_client(app) as c:
        assert (await c.post("/auth/login", json={"login": me["login"], "password": NEW_PASSWORD})).status_code == 401
        r = await c.post("/auth/login", json={"login": me["login"], "password": new})
        assert r.status_code == 200
        assert (await c.get("/online")).status_code == 200  # no forced change: they chose it themselves
    # three links an hour for one login ID, then silence (the answer stays the same)
    for _ in range(3):
        r = await client.post("/online/forgot", data={"login": me["login"], "email": me["email"]})
        assert r.status_code == 200
    await _until_mail(mailbox, 3)


async def test_a_failed_send_is_sent_again_with_a_link_that_works(client, mailbox, monkeypatch):
    monkeypatch.setattr(mail, "RETRY_BASE_SECONDS", 0.2)
    mailbox.refuse_data = 1  # the SMTP server answers 451 to the first message
    await clear_queued_jobs()
    _, h = await agency()
    _, creds = await survey_with_respondents(client, h, n=1)
    me = creds[0]
    r = await client.post("/online/forgot", data={"login": me["login"], "email": me["email"]})
    assert r.status_code == 200 and mailbox.messages == []  # queued, not sent by the request
    await _until_mail(mailbox, 1)
    assert mailbox.refused_data == 1 and mailbox.messages[0][0] == [me["email"]]
    token = _link(mailbox)
    assert (await client.get("/online/recover", params={"token": token})).status_code == 200
    new = "sent-on-the-second-try"
    done = await client.post("/online/recover", data={"token": token, "new": new, "again": new})
    assert done.status_code == 200 and 'id="done"' in done.text
