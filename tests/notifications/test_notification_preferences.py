"""How a user receives notifications by e-mail (notifications.views.preferences), and the VI/EN switch of
the top bar (notifications.views.set_language), which also sets the language of a signed-in user's e-mails."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from notifications.models import Preference
from tests.support import switch_language

pytestmark = pytest.mark.django_db


def preference_of(user) -> tuple[str, str] | None:
    found = Preference.objects.filter(user=user).first()
    return (found.delivery, found.language) if found else None


def checked(page: str, name: str) -> list[str]:
    """The values of the radio buttons of `name` that are checked."""
    import re

    inputs = re.findall(rf'<input type="radio" name="{name}" value="([^"]*)"[^>]*>', page)
    return [
        value
        for value, tag in zip(inputs, re.findall(rf'<input type="radio" name="{name}"[^>]*>', page), strict=True)
        if " checked" in tag
    ]


def test_the_form_shows_the_choices_and_the_defaults(client, users):
    client.force_login(users["la.staff"])
    response = client.get(reverse("notification_preferences"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Gửi e-mail ngay từng thông báo" in page and "Gộp thành một e-mail mỗi sáng" in page
    assert "Tiếng Việt" in page and "English" in page
    assert checked(page, "delivery") == ["immediate"] and checked(page, "language") == ["vi"]
    assert preference_of(users["la.staff"]) is None  # looking saves nothing


def test_saving_digest_in_english(client, users):
    client.force_login(users["la.staff"])
    response = client.post(reverse("notification_preferences"), {"delivery": "digest", "language": "en"})
    assert response.status_code == 302 and response["Location"] == reverse("notification_preferences")
    assert preference_of(users["la.staff"]) == ("digest", "en")
    page = client.get(response["Location"]).content.decode()
    assert "Đã lưu cách nhận thông báo." in page
    assert checked(page, "delivery") == ["digest"] and checked(page, "language") == ["en"]
    # Changed back: the same row.
    client.post(reverse("notification_preferences"), {"delivery": "immediate", "language": "vi"})
    assert preference_of(users["la.staff"]) == ("immediate", "vi")
    assert Preference.objects.filter(user=users["la.staff"]).count() == 1


def test_each_user_keeps_their_own(client, users):
    client.force_login(users["tg.coord"])  # an outsider of the 2011 agreement: it names no agreement
    client.post(reverse("notification_preferences"), {"delivery": "digest", "language": "vi"})
    assert preference_of(users["tg.coord"]) == ("digest", "vi")
    assert preference_of(users["la.staff"]) is None and Preference.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"delivery": "weekly", "language": "en"}, "Hãy chọn một lựa chọn hợp lệ."),
        ({"delivery": "digest", "language": "fr"}, "Hãy chọn một lựa chọn hợp lệ."),
        ({"delivery": "digest"}, "Trường này là bắt buộc."),
        ({}, "Trường này là bắt buộc."),  # nothing chosen: said so (the form once came back without a word)
    ],
    ids=["delivery", "language", "no-language", "nothing"],
)
def test_bad_values_are_refused_in_vietnamese_and_save_nothing(client, users, data, error):
    client.force_login(users["la.staff"])
    response = client.post(reverse("notification_preferences"), data)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert response.context["form"].errors
    assert preference_of(users["la.staff"]) is None


def test_bad_values_leave_a_saved_choice_as_it_was(client, users):
    client.force_login(users["la.staff"])
    client.post(reverse("notification_preferences"), {"delivery": "digest", "language": "en"})
    client.post(reverse("notification_preferences"), {"delivery": "hourly", "language": "vi"})
    assert preference_of(users["la.staff"]) == ("digest", "en")


def test_anonymous_is_sent_to_the_login_page(client):
    for response in (
        client.get(reverse("notification_preferences")),
        client.post(reverse("notification_preferences"), {"delivery": "digest", "language": "en"}),
    ):
        assert response.status_code == 302 and response["Location"].startswith(reverse("login") + "?next=")
    assert Preference.objects.count() == 0


# --- the VI/EN switch of the top bar ------------------------------------------------------------


def test_the_switch_stores_a_signed_in_users_language_and_sets_the_cookie(client, users):
    client.force_login(users["la.staff"])
    switch_language(client, "en")
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert preference_of(users["la.staff"]) == ("immediate", "en")
    assert '<html lang="en">' in client.get(reverse("home")).content.decode()
    switch_language(client, "vi")
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "vi"
    assert preference_of(users["la.staff"]) == ("immediate", "vi")


def test_the_switch_keeps_the_delivery_chosen(client, users):
    client.force_login(users["la.staff"])
    client.post(reverse("notification_preferences"), {"delivery": "digest", "language": "vi"})
    switch_language(client, "en")
    assert preference_of(users["la.staff"]) == ("digest", "en")


def test_the_switch_works_for_anonymous_visitors_and_stores_nothing(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/login/"})
    assert response.status_code == 302 and response["Location"] == "/login/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert '<html lang="en">' in client.get(reverse("login")).content.decode()
    assert Preference.objects.count() == 0


def test_a_language_the_site_does_not_have_changes_nothing(client, users):
    """Django keeps any language it has a catalogue for in the cookie ("fr"); the site stays Vietnamese."""
    client.force_login(users["la.staff"])
    response = client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    assert response.status_code == 302
    assert preference_of(users["la.staff"]) is None
    assert '<html lang="vi">' in client.get(reverse("home")).content.decode()
