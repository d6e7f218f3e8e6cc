"""Turning the pipeline's models into answers, with no HTTP: what a film is asked and
answered (``schemas``, ``scenarios``), the predictor (loads the served models) and
answering many films at once (``batch``). Both ``serving`` and ``scoring`` build on it;
it uses ``features`` and ``modeling``, never ``evaluation``.
"""
