"""Reports and status: a view of the journal, report data, templates, charts."""
