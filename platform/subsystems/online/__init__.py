"""オンライン調査システム (online surveys, ONLINE-1..3): survey cycles bound to a published questionnaire
of the survey items database, respondents with issued login IDs, the server-rendered form, submissions
as immutable versions with receipt numbers, answers stored long and encrypted per survey, the agency's
reception dashboard, reminders, API and the hand-off to the statistical database."""
