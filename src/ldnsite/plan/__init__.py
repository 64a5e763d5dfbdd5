"""Planning the site: the page plan and the views the templates receive (pure data, no I/O)."""
