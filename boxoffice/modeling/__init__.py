"""Models: the registry of model types (``model_types``), fitting and searching (``fitting``),
scores (``metrics``), the conformal revenue distribution, explanations and the compiled
tree kernels. Uses ``features`` and ``data``; never ``evaluation`` or anything above.
"""
