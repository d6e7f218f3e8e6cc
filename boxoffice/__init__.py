"""boxoffice: predict a film's box-office revenue and whether it will be a hit.

The package holds everything the DVC stages (``stages/``) and the HTTP service
(``boxoffice.serving.api``) share, so that training and serving cannot drift apart.
"""

__version__ = "0.1.0"
