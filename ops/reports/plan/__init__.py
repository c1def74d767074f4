"""The annual operation plan (運用管理計画, GOV-14; 約款 第8): the survey of the agencies, their answer
pages, the plans API, the plan's figures and its sheets."""
