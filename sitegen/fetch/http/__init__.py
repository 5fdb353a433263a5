"""The one HTTP client every source uses (client), with its limits: a deadline per attempt
(deadline), a capped body (body), a per-host breaker (hosts) and a conditional-GET cache (cache)."""
