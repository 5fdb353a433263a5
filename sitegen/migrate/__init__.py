"""One-off rewrites of content/ after sitegen changed what a snapshot key means (`sitegen migrate`)."""
