"""The raw Kaggle files and what is done to them before features: schema checks,
cleaning rules, the credits, and constant dollars (the CPI-U table beside this file).
Imports nothing else of boxoffice but ``params`` and ``io``.
"""
