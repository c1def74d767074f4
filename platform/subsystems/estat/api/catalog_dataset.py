"""getDataCatalog's DATASET beyond its names (issue 14 section 1), in the order of a recorded
e-Stat answer (docs/estat-api-conformance.md, Sources): DESCRIPTION, PUBLISHER, CONTACT_POINT,
CREATOR, RELEASE_DATE, LAST_MODIFIED_DATE, FREQUENCY_OF_UPDATE, LANDING_PAGE.

What govstat holds: the table's explanation (DESCRIPTION, left out under explanationGetFlg=N), the
agency (PUBLISHER; CONTACT_POINT and CREATOR too: e-Stat names the bureau there, govstat's directory
holds agencies, not their bureaux), the survey cycle (FREQUENCY_OF_UPDATE, "" when none, as e-Stat
writes an empty one) and the portal's page of the table or file (LANDING_PAGE)."""

from __future__ import annotations

from typing import Any


def dataset(
    head: dict[str, Any],
    *,
    agency: str,
    explanation: str,
    cycle: str,
    released: str,
    modified: str,
    landing_page: str,
    with_explanation: bool,
) -> dict[str, Any]:
    """DATASET: `head` (STAT_NAME, ORGANIZATION, TITLE) then the fields in e-Stat's order."""
    out = dict(head)
    if with_explanation:
        out["DESCRIPTION"] = {"TABULATION_CATEGORY_EXPLANATION": explanation} if explanation else ""
    out.update(
        {
            "PUBLISHER": agency,
            "CONTACT_POINT": agency,
            "CREATOR": agency,
            "RELEASE_DATE": released,
            "LAST_MODIFIED_DATE": modified,
            "FREQUENCY_OF_UPDATE": cycle,
            "LANDING_PAGE": landing_page,
        }
    )
    return out


def landing_page(base_url: str, stats_data_id: str | None, catalog_id: str) -> str:
    """The portal's page of a database table, or of a table file."""
    return f"{base_url}/estat/tables/{stats_data_id}" if stats_data_id else f"{base_url}/estat/files/{catalog_id}"
