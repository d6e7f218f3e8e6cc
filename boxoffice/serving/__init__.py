"""The HTTP service: the app, its routes by concern, coalescing, the page and a client.
Answers through ``prediction``; never ``evaluation``.
"""
