"""The helpdesk (ヘルプデスク, GOV-11): tickets by phone, e-mail and web form, forwarding, service
targets in business time, and help outside the hours billed to the agency."""
