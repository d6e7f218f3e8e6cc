"""Honest scoring of the pipeline's models: held-out answers, CV of whole procedures,
forward in time (``forward_scores``), the headline metrics and the evaluate stage's logic.
Used by the stages and the project's checks; never by ``serving`` or ``scoring``.
"""
