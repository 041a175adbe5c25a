"""A forgotten password is reset by e-mail: the login page links to the request form, the mail (Vietnamese,
through Django's mail backend) carries a one-time link starting with SITE_URL, which sets a new password."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from demo.data import DEMO_PASSWORD, email_of
from tests.support import switch_language

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Chanh-khong-hat-2026"
LINK = re.compile(r"(https?://\S+/reset/\S+/\S+/)")


def request_reset(client: Client, email: str):
    return client.post(reverse("password_reset"), {"email": email})


def test_the_login_page_links_to_the_reset(client, demo):
    html = client.get(reverse("login")).content.decode()
    assert f'href="{reverse("password_reset")}"' in html and "Quên mật khẩu?" in html


def test_the_mail_arrives_and_its_link_sets_a_new_password(client, users, mailoutbox, settings):
    settings.SITE_URL = "https://coopportal.example.vn"
    page = client.get(reverse("password_reset"))
    assert page.status_code == 200 and 'class="topbar"' in page.content.decode()
    response = request_reset(client, email_of("la.staff"))
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    assert "Nếu địa chỉ vừa nhập là của một tài khoản" in client.get(response["Location"]).content.decode()

    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [email_of("la.staff")]
    assert mail.subject == "CoopPortal: đặt lại mật khẩu"
    assert "yêu cầu đặt lại mật khẩu" in mail.body and "Tên đăng nhập của bạn: la.staff" in mail.body
    assert "hết hạn sau 3 ngày" in mail.body
    link = LINK.search(mail.body).group(1)
    assert link.startswith("https://coopportal.example.vn/reset/")

    path = link.removeprefix("https://coopportal.example.vn")
    form = client.get(path, follow=True)  # Django swaps the token for a session marker and redirects
    assert form.status_code == 200 and "Đặt mật khẩu mới" in form.content.decode()
    set_url = form.redirect_chain[-1][0]
    too_short = client.post(set_url, {"new_password1": "Ngan-qua-1", "new_password2": "Ngan-qua-1"})
    assert "Mật khẩu quá ngắn: cần ít nhất 12 ký tự." in too_short.content.decode()
    done = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302 and done["Location"] == reverse("password_reset_complete")
    assert "Mật khẩu mới đã được lưu" in client.get(done["Location"]).content.decode()

    users["la.staff"].refresh_from_db()
    assert users["la.staff"].check_password(NEW_PASSWORD)
    assert Client().post(reverse("login"), {"username": "la.staff", "password": NEW_PASSWORD}).status_code == 302
    # the link works once
    again = Client().get(path, follow=True)
    assert "Đường dẫn đặt lại mật khẩu không hợp lệ" in again.content.decode()


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, demo, mailoutbox):
    response = request_reset(client, "khong-ai@example.vn")
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    assert mailoutbox == []


def test_a_forged_link_is_refused(client, users):
    response = client.get(reverse("password_reset_confirm", args=["MQ", "khong-phai-token"]))
    assert response.status_code == 200
    assert "Đường dẫn đặt lại mật khẩu không hợp lệ" in response.content.decode()
    users["la.staff"].refresh_from_db()
    assert users["la.staff"].check_password(DEMO_PASSWORD)


def test_the_mail_in_english_when_asked_from_the_english_page(client, demo, mailoutbox):
    switch_language(client, "en")
    request_reset(client, email_of("la.staff"))
    assert mailoutbox[0].subject == "CoopPortal: reset your password"
    assert "Your username: la.staff" in mailoutbox[0].body


def test_one_address_gets_a_few_mails_an_hour_however_often_it_is_asked(client, users, mailoutbox, settings, caplog):
    """Anyone may ask for a reset mail: without a cap, anyone could fill a colleague's inbox (the probe sent ten
    in a row). Past PASSWORD_RESET_MAILS_PER_HOUR the page answers as always and nothing is sent."""
    settings.PASSWORD_RESET_MAILS_PER_HOUR = 3
    answers = [request_reset(client, email_of("la.staff")) for _ in range(6)]
    assert {(a.status_code, a["Location"]) for a in answers} == {(302, reverse("password_reset_done"))}
    assert len(mailoutbox) == 3
    assert [r.getMessage().split(";")[0] for r in caplog.records if r.name == "coopportal.security"] == [
        "password reset mail held back: more than 3 for one address in an hour"
    ] * 3
    assert request_reset(client, email_of("la.staff").upper()).status_code == 302  # the same address in capitals
    assert len(mailoutbox) == 3
    request_reset(client, email_of("tn.staff"))  # another address is not held back by this one
    assert len(mailoutbox) == 4
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=61)):
        request_reset(client, email_of("la.staff"))
    assert len(mailoutbox) == 5
