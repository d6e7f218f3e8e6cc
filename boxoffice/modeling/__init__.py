"""Models: the registry of model types (``model_types``), fitting and searching (``fitting``),
each regressor's training (``training``) and the forward-in-time rebuild's (``forward``),
scores (``metrics``), the conformal revenue distribution, explanations and the compiled
tree kernels. Uses ``features`` and ``data``; never ``evaluation`` or anything above.
"""
