"""The questionnaire builder (issue 10 §2, ONLINE-3 builder): agencies build a questionnaire
definition from registered items in server-rendered pages that work without JavaScript, or upload
it as JSON, YAML or XLSForm; the preview is the same paper rendering the public page prints."""
