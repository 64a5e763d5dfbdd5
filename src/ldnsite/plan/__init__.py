"""Planning the site: the page plan and the views the templates receive, in the locale's words (pure data, no I/O)."""
