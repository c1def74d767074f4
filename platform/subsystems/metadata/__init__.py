"""統計メタデータレジストリ: the statistical metadata registry (METADATA-1).

Agencies register and update the metadata of their surveys (purpose, legal basis, population,
cycle, method, dates; item definitions; classifications used; linked tables) in versions: a draft
is finalised by the agency (確定) and published on the operator's approval (承認). Published
metadata is public: pages, a JSON API, JSON and DDI Codebook 2.5 exports, and the lookup the
e-Stat portal uses to show a table's metadata."""
