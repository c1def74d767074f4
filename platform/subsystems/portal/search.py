"""One Japanese search across notices, posts and pages (PORTAL-1, PORTAL-2). Each document keeps
its tokens and readings (japanese.index_text) in `search_text`, indexed as to_tsvector('simple');
the query's tokens must all match. What a searcher may see is row-level security's answer, the
same as when they list: a notice by its audience, a post by its board's members, a page by role."""

from __future__ import annotations

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.subsystems.portal.rows import Hit
from govstat.platform.text.japanese import tsquery

SNIPPET_CHARS = 120

SQL = """
SELECT * FROM (
  SELECT 'notice' AS kind, n.id, n.title, left(n.body, {n}) AS snippet, '/portal/notices/' || n.id AS url,
         n.publish_at AS at, ts_rank(to_tsvector('simple', n.search_text), q) AS rank
  FROM portal_notice n, to_tsquery('simple', $1) q
  WHERE to_tsvector('simple', n.search_text) @@ q AND n.withdrawn_at IS NULL AND n.publish_at <= now()
  UNION ALL
  SELECT 'post', p.id, coalesce(nullif(p.title, ''), r.title), left(p.body, {n}),
         '/portal/posts/' || coalesce(p.parent_id, p.id), p.created_at, ts_rank(to_tsvector('simple', p.search_text), q)
  FROM portal_post p LEFT JOIN portal_post r ON r.id = p.parent_id, to_tsquery('simple', $1) q
  WHERE to_tsvector('simple', p.search_text) @@ q AND NOT p.hidden
  UNION ALL
  SELECT 'page', g.id, g.title, left(g.body_md, {n}), '/portal/pages/' || g.id, g.updated_at,
         ts_rank(to_tsvector('simple', g.search_text), q)
  FROM portal_page g, to_tsquery('simple', $1) q
  WHERE to_tsvector('simple', g.search_text) @@ q
) hits ORDER BY rank DESC, at DESC LIMIT {limit}
"""


async def search(uow: UnitOfWork, text: str, *, limit: int = 50) -> list[Hit]:
    query = tsquery(text)
    if query is None:
        return []
    return await uow.rows(Hit, SQL.format(n=SNIPPET_CHARS, limit=int(limit)), query)
