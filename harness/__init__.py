"""The tests' and benchmarks' harness, kept out of the package that ships: throwaway copies of
the project and servers on loopback (``workspace``), PostgreSQL (``postgres``) and the
container images (``containers``) they start.
"""
