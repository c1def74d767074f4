"""オンサイト利用システム (ONSITE-1): agencies register survey microdata (調査票情報), encrypted at rest
with a key per dataset; researchers under a live grant aggregate it inside registered facilities, and
every output is checked (threshold, dominance, exact secondary suppression, LP audit, differencing)
before anything is shown."""
