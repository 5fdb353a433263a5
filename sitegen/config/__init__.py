"""sitegen.toml: the typed settings (settings), how they are read and checked (load, fields)."""
