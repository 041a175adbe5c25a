"""What a notification says, in its reader's language: one composition for the centre and the e-mails."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from notifications.models import Digest, Kind, Notification


@dataclass(frozen=True)
class Message:
    subject: str
    headline: str
    facts: list[tuple[str, str]]
    link: str
    link_label: str
    note: str = ""


def _day(day: datetime.date | None) -> str:
    return f"{day:%d/%m/%Y}" if day else ""


def countdown(days_from_due: int, *, late_word: str | None = None) -> str:
    """'còn 7 ngày' / 'hôm nay là hạn cuối' / 'đã quá hạn 3 ngày', in the active language."""
    if days_from_due < 0:
        return ngettext("còn %(days)d ngày", "còn %(days)d ngày", -days_from_due) % {"days": -days_from_due}
    if days_from_due == 0:
        return _("hôm nay là hạn cuối")
    return ngettext("đã quá hạn %(days)d ngày", "đã quá hạn %(days)d ngày", days_from_due) % {"days": days_from_due}


def _agreement_label(notification: Notification) -> str:
    agreement = notification.agreement
    number = f" ({agreement.number})" if agreement.number else ""
    return f"{agreement.get_kind_display()}: {Truncator(agreement.title).chars(140)}{number}"


def compose(notification: Notification) -> Message:
    """The message of one notification, in the active language (callers use translation.override)."""
    n = notification
    link = settings.SITE_URL + n.url
    # The labels of one message's facts, singular ("Agreement"), not the menu's plural words.
    agreement = (pgettext("fact of a message", "Thỏa thuận"), _agreement_label(n))
    days = n.days_from_due
    params = n.params or {}
    if n.kind == Kind.REPORT_DUE and n.report is not None:
        period = n.report.period
        when = countdown(days or 0)
        return Message(
            subject=_("Nhắc nộp báo cáo %(period)s (%(when)s)") % {"period": period.label, "when": when},
            headline=_("Báo cáo %(period)s của %(party)s chưa được gửi: %(when)s.")
            % {"period": period.label, "party": n.report.party.name_then, "when": when},
            facts=[
                agreement,
                (pgettext("fact of a message", "Kỳ báo cáo"), str(period.label)),
                (_("Bên báo cáo"), n.report.party.name_then),
                (_("Hạn nộp"), _day(period.deadline)),
                (_("Tình trạng"), str(n.report.get_state_display())),
            ],
            link=link,
            link_label=_("Mở báo cáo"),
        )
    if n.kind == Kind.MEETING_UPCOMING and n.meeting is not None:
        meeting = n.meeting
        # The day it was reminded of, should the meeting have lost its day since (postponed, no new day yet).
        held_on = _day(meeting.held_on or n.due_on)
        when = ngettext("còn %(days)d ngày", "còn %(days)d ngày", -(days or 0)) % {"days": -(days or 0)}
        return Message(
            subject=_("Nhắc lịch họp ngày %(day)s (%(when)s)") % {"day": held_on, "when": when},
            headline=_("%(kind)s ngày %(day)s tại %(place)s: %(when)s.")
            % {"kind": meeting.get_kind_display(), "day": held_on, "place": meeting.place, "when": when},
            facts=[agreement, (_("Ngày họp"), held_on), (_("Địa điểm"), meeting.place)],
            link=link,
            link_label=_("Mở thỏa thuận"),
        )
    if n.kind == Kind.MEETING_UNSCHEDULED:
        return Message(
            subject=_("Đề nghị lên lịch họp định kỳ trước ngày %(day)s") % {"day": _day(n.due_on)},
            headline=_("Chưa có lịch họp định kỳ; theo chu kỳ họp, các bên cần họp trước ngày %(day)s.")
            % {"day": _day(n.due_on)},
            facts=[agreement, (_("Cần họp trước ngày"), _day(n.due_on))],
            link=link,
            link_label=_("Mở thỏa thuận"),
        )
    if n.kind == Kind.COMMITMENT_DUE and n.commitment is not None:
        commitment = n.commitment
        when = countdown(days or 0) if (days or 0) <= 0 else _("đã quá hạn")
        return Message(
            subject=_("Cam kết đến hạn ngày %(day)s (%(when)s)") % {"day": _day(commitment.due_on), "when": when},
            headline=_("Cam kết “%(text)s” có thời hạn %(day)s: %(when)s.")
            % {"text": Truncator(commitment.description).chars(120), "day": _day(commitment.due_on), "when": when},
            facts=[
                agreement,
                (_("Nội dung hợp tác"), str(commitment.item.number)),
                (_("Cam kết"), Truncator(commitment.description).chars(200)),
                (_("Thời hạn"), _day(commitment.due_on)),
            ],
            link=link,
            link_label=_("Mở thỏa thuận"),
        )
    if n.kind == Kind.AGREEMENT_ENDING:
        left = (n.due_on - n.day).days if n.due_on else 0
        return Message(
            subject=_("Thỏa thuận hết giai đoạn ngày %(day)s: chuẩn bị gia hạn") % {"day": _day(n.due_on)},
            headline=_("Giai đoạn của thỏa thuận kết thúc ngày %(day)s (%(when)s); hãy chuẩn bị gia hạn.")
            % {"day": _day(n.due_on), "when": countdown(-left)},
            facts=[agreement, (_("Kết thúc giai đoạn"), _day(n.due_on))],
            link=link,
            link_label=_("Mở thỏa thuận"),
        )
    if n.kind in (Kind.REPORT_SUBMITTED, Kind.REPORT_RETURNED, Kind.REPORT_APPROVED) and n.report is not None:
        period = n.report.period
        headlines = {
            Kind.REPORT_SUBMITTED: _("%(party)s đã gửi báo cáo %(period)s; báo cáo chờ bộ phận điều phối xem xét."),
            Kind.REPORT_RETURNED: _("Báo cáo %(period)s của %(party)s bị trả lại để chỉnh sửa."),
            Kind.REPORT_APPROVED: _("Báo cáo %(period)s của %(party)s đã được phê duyệt."),
        }
        values = {"party": n.report.party.name_then, "period": period.label}
        return Message(
            subject=headlines[Kind(n.kind)] % values,
            headline=headlines[Kind(n.kind)] % values,
            facts=[
                agreement,
                (pgettext("fact of a message", "Kỳ báo cáo"), str(period.label)),
                (_("Hạn nộp"), _day(period.deadline)),
                (_("Người thực hiện"), params.get("actor", "")),
            ],
            link=link,
            link_label=_("Mở báo cáo"),
            note=params.get("comment", ""),
        )
    if n.kind == Kind.DOCUMENT_ISSUED and n.document is not None:
        document = n.document
        number = params.get("number", "")
        return Message(
            subject=_("Đã ban hành văn bản số %(number)s") % {"number": number},
            headline=_("%(title)s đã được ban hành, số %(number)s ngày %(day)s.")
            % {"title": document.get_kind_display(), "number": number, "day": _day(document.issued_on)},
            facts=[
                agreement,
                (_("Số văn bản"), number),
                (_("Người ký"), document.signer_name),
            ],
            link=link,
            link_label=_("Tải văn bản"),
        )
    return Message(
        subject=str(n.get_kind_display()),
        headline=str(n.get_kind_display()),
        facts=[agreement],
        link=link,
        link_label=_("Mở"),
    )


def with_targets(ids: Iterable[int]) -> list[Notification]:
    return list(
        Notification.objects.filter(pk__in=list(ids))
        .select_related(
            "recipient__notification_preference",
            "agreement",
            "report__period",
            "report__party__body__unit",
            "report__party__agreement",
            "meeting",
            "commitment__item",
            "document",
        )
        # The party's name as it was when the agreement was signed needs its province's former names.
        .prefetch_related("report__party__body__unit__names")
        .order_by("pk")
    )


def _language(user: object) -> str:
    preference = getattr(user, "notification_preference", None)
    return preference.language if preference is not None else settings.LANGUAGE_CODE


def _email(to: str, language: str, subject: str, template: str, context: dict[str, object]) -> EmailMultiAlternatives:
    with translation.override(language):
        text = render_to_string(f"notifications/email/{template}.txt", context)
        html = render_to_string(f"notifications/email/{template}.html", context)
    message = EmailMultiAlternatives(subject=f"[CoopPortal] {subject}", body=text, to=[to])
    message.attach_alternative(html, "text/html")
    return message


def notification_emails(ids: list[int]) -> list[tuple[int, EmailMultiAlternatives]]:
    emails = []
    for n in with_targets(ids):
        language = _language(n.recipient)
        with translation.override(language):
            message = compose(n)
        context = {"message": message, "user": n.recipient, "language": language}
        emails.append((n.pk, _email(n.recipient.email, language, message.subject, "notification", context)))
    return emails


def digest_emails(ids: list[int]) -> list[tuple[int, EmailMultiAlternatives]]:
    emails = []
    for digest in Digest.objects.filter(pk__in=ids).select_related("recipient__notification_preference"):
        language = _language(digest.recipient)
        items = with_targets(digest.notifications.values_list("pk", flat=True))
        with translation.override(language):
            messages = [compose(n) for n in items]
            subject = ngettext(
                "%(count)d việc cần chú ý ngày %(day)s", "%(count)d việc cần chú ý ngày %(day)s", len(messages)
            ) % {"count": len(messages), "day": _day(digest.day)}
        context = {"messages": messages, "user": digest.recipient, "day": digest.day, "language": language}
        emails.append((digest.pk, _email(digest.recipient.email, language, subject, "digest", context)))
    return emails
