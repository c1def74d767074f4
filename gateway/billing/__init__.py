"""Gateway billing (GOV-4, GOV-5, GOV-11): usage read model, fees, extra charges, monthly invoices."""
