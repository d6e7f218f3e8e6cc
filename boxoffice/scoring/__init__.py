"""Scoring files of films with the served models (``python -m boxoffice.scoring``): in
chunks on threads (``files``), on Dask (``on_dask``), with bulk input checks that agree
with the service's (``table_checks``). Builds on ``prediction``; never ``serving`` or ``evaluation``.
"""
