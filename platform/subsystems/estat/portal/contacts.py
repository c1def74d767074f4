"""The contact shown on a government statistic's overview page (ESTAT-1 「問合せ先」).

The agency master (agency, division) is shared reference data that anyone reads. Where the
owning agency is a tenant, its registered primary contact (連絡担当者, GOV-6) is where questions
about the statistic go. Contacts are a tenant table under row-level security (read here through
tenants' directory_contact view, which keeps it), so they are read
here in a platform (system) scope, read-only, on the request's own connection (a second unit of
work per page view deadlocked the pool under a crowd: issue 8), and only two fields leave it:
the division and the e-mail address of the primary contact — an office address meant for
enquiries. The person's name, kana and phone number are personal data and stay inside. Which
tenant: the one whose published tables of the statistic are the newest (the producer as the
public meets it), else the agency's first active tenant.
"""

from __future__ import annotations

from govstat.platform.db.rows import decode
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.subsystems.estat.portal.rows import Contact

# tenants' directory views (current contacts only) and statdb's published tables
SQL = """
SELECT c.division, c.email
FROM directory_tenant t JOIN directory_contact c ON c.tenant_id = t.id AND c.role = 'primary'
WHERE t.agency_code = $1 AND t.status = 'active'
ORDER BY (SELECT max(st.publish_at) FROM published_table st WHERE st.tenant_id = t.id AND st.gov_stat_code = $2)
           DESC NULLS LAST,
         t.activated_at NULLS LAST, t.created_at
LIMIT 1
"""


async def primary_contact(uow: UnitOfWork, agency_code: str, gov_stat_code: str) -> Contact | None:
    """The division and e-mail of the producing tenant's primary contact, or None."""
    async with uow.platform_read("estat.portal.contact") as platform:
        row = await platform.fetchrow(SQL, agency_code, gov_stat_code)
    return decode(Contact, row) if row else None
