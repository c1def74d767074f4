"""e-Stat's RESULT.STATUS: 0-2 normal, 100 and above errors, answered with HTTP 200 as e-Stat does
(existing clients read STATUS, not the HTTP code). 0, 1, 100 and 400 carry e-Stat's own messages; the
other error codes are govstat's, inside e-Stat's error range (docs/estat-api.md). getStatsDatas'
RESULT writes e-Stat's 2 and 401 in e-Stat's words, naming each request (bulk_shape.py), and 400 for
the whole call when its requests would return more than 100,000 values in all (bulk.py)."""

from __future__ import annotations

MESSAGES = {
    0: "正常に終了しました。",
    1: "正常に終了しましたが、該当データはありませんでした。",
    2: "正常に終了しましたが、一部の統計データが取得できませんでした。",
    100: "認証に失敗しました。アプリケーションIDを確認して下さい。",
    101: "必須パラメータが指定されていません。",
    102: "パラメータの値が不正です。",
    103: "指定された統計表IDは存在しません。",
    104: "指定されたデータセットIDは存在しません。",
    106: "指定された統計表は取り下げられました。",
    200: "処理中にエラーが発生しました。",
    400: "返却セルデータ数が多すぎます。",  # e-Stat's, for a getStatsDatas call over 100,000 values in all
}


# characters of the caller's value an error message repeats: getStatsDatas writes each request's
# message into one RESULT, so a 100 KB value outside statsDatasSpec came back ten times (10x the request)
MAX_DETAIL = 500


class EstatFault(Exception):
    """An error answered in e-Stat's format (RESULT.STATUS >= 100)."""

    def __init__(self, status: int, detail: str = "") -> None:
        if len(detail) > MAX_DETAIL:
            detail = detail[:MAX_DETAIL] + "…"
        super().__init__(detail or MESSAGES[status])
        self.status = status
        self.message = MESSAGES[status] + (f"（{detail}）" if detail else "")


def missing(name: str) -> EstatFault:
    return EstatFault(101, f"{name}")


def invalid(name: str, value: str) -> EstatFault:
    return EstatFault(102, f"{name}={value}")


# lang=E: RESULT.ERROR_MSG in English (govstat's wording: the English e-Stat writes was not found in
# the sources, docs/estat-api-conformance.md); the detail in parentheses is kept as it is.
MESSAGES_EN = {
    0: "Processing completed normally.",
    1: "Processing completed normally, but no data matched.",
    2: "Processing completed normally, but some of the statistical data could not be obtained.",
    100: "Authentication failed. Please check the application ID.",
    101: "A required parameter is missing.",
    102: "A parameter value is invalid.",
    103: "The specified statistical table ID does not exist.",
    104: "The specified dataset ID does not exist.",
    106: "The specified statistical table has been withdrawn.",
    200: "An error occurred during processing.",
    400: "Too many values to return.",
}


def english(status: int, message: str) -> str:
    """The English of a RESULT's Japanese message: e-Stat's sentence replaced, the detail kept."""
    ja = MESSAGES.get(status)
    if ja is None or not message.startswith(ja):
        return MESSAGES_EN.get(status, message)
    detail = message[len(ja) :].strip()
    if detail.startswith("（") and detail.endswith("）"):
        detail = detail[1:-1]
    return MESSAGES_EN[status] + (f" ({detail})" if detail else "")
