"""業務ポータルサイト: the business portal's notices, bulletin boards and pages for statisticians
(PORTAL-1, PORTAL-2).

The operator addresses notices (お知らせ) to every agency, one tenant, the intermediaries or the
public; each reader sees what is addressed to them with unread marks, and important notices go out
by e-mail. Boards (掲示板) have members (tenants, kinds of user); members post, reply and attach
files, and the operator moderates. Pages for statisticians (統計専門職員向けページ) are Markdown
rendered safely. One Japanese search (morphological tokens, NFKC) spans all three, limited by
row-level security to what the searcher may see. Sign-in stays the gateway's."""
