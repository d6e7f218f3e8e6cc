"""Features, one code path for pipeline, service and file scoring: request-safe transforms
(``transforms``), track records as of a date (``track_record``), the whole row (``build``),
the feature sets and their leak guard (``sets``) and the splits (``splits``). Uses ``data``.
"""
