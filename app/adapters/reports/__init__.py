"""Report files (CSV, XLSX), locale formatting for e-mails, and the report mailer."""
