"""Words of the incident notices and e-mails: Japanese first, English after (GOV-12)."""

from __future__ import annotations

import datetime as dt

from govstat.ops.incidents.lifecycle import LABELS, SEVERITY_LABELS
from govstat.ops.incidents.rows import IncidentRow
from govstat.platform.catalog import Catalog
from govstat.platform.clock import JST

DEFAULT_PUBLIC_NOTES = {
    "detected": "障害を検知しました。原因を調査しています。/ We have detected a fault and are investigating it.",
    "monitoring": "サービスは回復しつつあります。引き続き監視しています。/ The service is recovering; we keep monitoring it.",
    "recovered": "サービスは復旧しました。/ The service has recovered.",
}


def ref(number: int) -> str:
    return f"INC-{int(number):06d}"


def jst(value: dt.datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A time in Japan Standard Time, as people read it ('—' for none)."""
    if value is None:
        return "—"
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(JST).strftime(fmt) + " JST"


def module_names(catalog: Catalog, key: str | None) -> tuple[str, str]:
    """(ja, en) of a subsystem; the whole platform for None."""
    if not key:
        return "全サブシステム", "all subsystems"
    return catalog.names(key)


def notice_text(catalog: Catalog, incident: IncidentRow, step: str) -> tuple[str, str]:
    """(title, body) of the portal notice to an affected agency."""
    ja, en = module_names(catalog, incident.module_key)
    number = ref(incident.number)
    if step == "detected":
        title = f"【障害発生】{ja} / [Incident] {en} ({number})"
        body = (
            f"{ja}で障害が発生しています。復旧まで今しばらくお待ちください。\n"
            f"件名: {incident.title}\n検知: {jst(incident.detected_at)}\n\n"
            f"A fault is affecting {en}. We are working to restore it.\n"
            f"Subject: {incident.title}\nDetected: {jst(incident.detected_at)}"
        )
    else:
        title = f"【障害復旧】{ja} / [Recovered] {en} ({number})"
        body = (
            f"{ja}の障害は復旧しました。ご不便をおかけしました。原因と再発防止策は追ってお知らせします。\n"
            f"件名: {incident.title}\n検知: {jst(incident.detected_at)}\n復旧: {jst(incident.recovered_at)}\n\n"
            f"The fault affecting {en} has been resolved. We apologise for the inconvenience; the cause and the"
            f" measures against recurrence will follow.\n"
            f"Subject: {incident.title}\nDetected: {jst(incident.detected_at)}\n"
            f"Recovered: {jst(incident.recovered_at)}"
        )
    return title, body


def email_text(
    catalog: Catalog, incident: IncidentRow, step: str, *, tenant_name: str, contact_role: str, base_url: str
) -> tuple[str, str]:
    """(subject, body) of the e-mail to one contact person of an affected agency."""
    ja, en = module_names(catalog, incident.module_key)
    number = ref(incident.number)
    sev_ja, sev_en = SEVERITY_LABELS.get(incident.severity, (incident.severity, incident.severity))
    state_ja, state_en = LABELS.get(incident.state, (incident.state, incident.state))
    role_ja = "主担当" if contact_role == "primary" else "副担当"
    base = base_url.rstrip("/")
    if step == "detected":
        subject = f"【障害発生】{ja} / [Incident] {en} ({number})"
        lead_ja = f"{ja}で障害が発生しました。現在、復旧に向けて対応しています。"
        lead_en = f"A fault has occurred in {en}. We are working to restore the service."
    else:
        subject = f"【障害復旧】{ja} / [Recovered] {en} ({number})"
        lead_ja = f"{ja}の障害は復旧しました。ご不便をおかけしましたことをお詫び申し上げます。原因と再発防止策は追ってご報告します。"
        lead_en = (
            f"The fault in {en} has been resolved. We apologise for the inconvenience; we will report the"
            " cause and the measures against recurrence."
        )
    body = f"""{tenant_name}
連絡担当者（{role_ja}）様

政府統計共同利用システム 運用管理機関からのお知らせです。
{lead_ja}

  障害番号: {number}
  対象: {ja}
  件名: {incident.title}
  重要度: {sev_ja}
  状態: {state_ja}
  検知日時: {jst(incident.detected_at)}
  復旧日時: {jst(incident.recovered_at)}

稼働状況: {base}/status
お知らせ: {base}/ops/notices

----------------------------------------------------------------
Notice from the operator of the Government Statistics Common Use System.
{lead_en}

  Incident: {number}
  Affected: {en}
  Subject: {incident.title}
  Severity: {sev_en}
  State: {state_en}
  Detected: {jst(incident.detected_at)}
  Recovered: {jst(incident.recovered_at)}

Service status: {base}/status
Notices: {base}/ops/notices

このメールは送信専用です。/ This is an automated message; please do not reply.
"""
    return subject, body
