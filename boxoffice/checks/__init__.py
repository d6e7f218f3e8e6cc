"""The project's own checks and reports: CI's metrics gate, the cross-machine check,
metrics at a commit, the README's tables, ``dvc exp show``'s headline view and throwaway
copies of the project. Nothing in the package imports this.
"""
