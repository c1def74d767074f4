"""SDMX-REST errors: the HTTP status the standard gives each case, with an SDMX-ML Error message
(code and text) as the body, so an SDMX client reports what went wrong."""

from __future__ import annotations

from litestar import Response

from govstat.platform.subsystems.estat.sdmx.xmlout import Xml

MESSAGE = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message"
COMMON = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common"
XML_TYPE = "application/xml; charset=utf-8"
# HTTP status -> SDMX error code (SDMX-REST "Error handling")
CODES = {400: 140, 401: 110, 403: 120, 404: 100, 406: 140, 413: 130, 500: 500, 501: 501, 503: 503}


class SdmxError(Exception):
    def __init__(self, status: int, text: str) -> None:
        super().__init__(text)
        self.status = status
        self.text = text


def not_found(text: str) -> SdmxError:
    return SdmxError(404, text)


def not_implemented(what: str) -> SdmxError:
    return SdmxError(501, f"Not implemented: {what}")


def response(error: SdmxError) -> Response[bytes]:
    x = Xml()
    x.open("mes:Error", {"xmlns:mes": MESSAGE, "xmlns:com": COMMON})
    x.open("mes:ErrorMessage", {"code": str(CODES.get(error.status, 500))})
    x.leaf("com:Text", error.text, {"xml:lang": "en"})
    x.close("mes:ErrorMessage")
    x.close("mes:Error")
    return Response(x.bytes(), status_code=error.status, media_type=XML_TYPE)
