"""Every page and file the site consists of, one module per kind."""
