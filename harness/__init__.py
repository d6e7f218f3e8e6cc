"""The tests' and benchmarks' harness, kept out of the package that ships: throwaway copies of
the project and servers on loopback (``workspace``), the real pipeline's cold run in the
background (``cold_run``), PostgreSQL (``postgres``) and the container images (``containers``)
they start.
"""
