"""The HTTP service and what answers a request: schemas, the predictor (loads the served
models), coalescing, batches, and a client. Uses ``features`` and ``modeling``; never
``evaluation``.
"""
