"""`sitegen fetch`: the pipeline (pipeline) that plans a run (plan), holds the lock (lock), asks
every registered source through one polite HTTP client (http), writes what they gave into
content/ (write) and reports (report)."""
