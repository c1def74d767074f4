"""Reception (受付状況, ONLINE-3): the read model counting submissions from Kafka, and the agency's
pages on it (surveys, dashboard by area, respondent list upload)."""
