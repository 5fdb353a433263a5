"""The nightly record of what `sitegen fetch` asked, what came back and how many papers arrived.

One small JSON file per night (arXiv's day of the run) in the repository's `status/` folder
(`[fetch] status`), written by fetch (sitegen.status.store), read with bounds
(sitegen.status.read), judged against arXiv's calendar (sitegen.status.verdict) and shown by
the build's status page and badge and by `sitegen status`.
"""
