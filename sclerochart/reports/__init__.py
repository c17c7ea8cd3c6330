"""ReportLab documents: domain values in, PDF bytes out (session report, handout, summary)."""
