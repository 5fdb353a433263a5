"""Rendered pages -> output/: the only writer of output/ (writer), the list of what sitegen
wrote (marker), the record of the last build (manifest), which folders and files sitegen may
touch (ownership) and one build at a time (lock)."""
