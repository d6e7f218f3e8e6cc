"""The pages (``GET /forecast``, ``GET /ledger``): files the app serves itself, the headers that keep them safe.

The page is a client of the API: every number it shows comes from /predict/pre_release
and /predict/pre_release/scenarios, fetched by ``static/forecast.js`` (an ES module that
imports ``answer.js``, ``charts.js`` and ``money.js`` from here), which builds every
element with ``textContent`` and SVG attributes (never HTML from data), so a name such as
``<img src=x onerror=alert(1)>`` is shown as text. The charts are drawn by that script:
no charting library and no other origin. The Content-Security-Policy below allows
scripts, styles and requests from this origin only, and no inline script or style.

The ledger page (``static/ledger.js``) is a client of the ledger's API in the same way. Its
token comes in the address's fragment (``/ledger#token=...``, as the service prints it on first
start), which a browser never sends; the script moves it into the tab's sessionStorage and
out of the address, and sends it only in the ``Authorization`` header of its own requests.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from boxoffice.data.dollars import cpi_u
from boxoffice.modeling.producer import DEFAULT_P_AND_A_MULTIPLE, DEFAULT_SHARE
from boxoffice.prediction.predictor import Predictor
from boxoffice.prediction.schemas import PRE_RELEASE_EXAMPLE

STATIC = Path(__file__).parent / "static"
# path -> the HTML file of each page
PAGES = {"/forecast": "forecast.html", "/ledger": "ledger.html"}
# name -> media type of each file the pages need; nothing else is served from STATIC.
FILES = {
    "forecast.html": "text/html; charset=utf-8",
    "ledger.html": "text/html; charset=utf-8",
    "forecast.js": "text/javascript; charset=utf-8",
    "ledger.js": "text/javascript; charset=utf-8",
    "token.js": "text/javascript; charset=utf-8",
    "answer.js": "text/javascript; charset=utf-8",
    "charts.js": "text/javascript; charset=utf-8",
    "money.js": "text/javascript; charset=utf-8",
    "forecast.css": "text/css; charset=utf-8",
    "favicon.svg": "image/svg+xml",
}
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "font-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}


def page_files() -> dict[str, bytes]:
    """The page's files, read once when the app starts."""
    return {name: (STATIC / name).read_bytes() for name in FILES}


def context(predictor: Predictor) -> dict[str, Any]:
    """What the form suggests and the page says about trust, from the served pre-release models.

    Names are the track record's (the directors, cast and companies the models know),
    most films first; keywords and genres are the ones the features read.
    """
    history = predictor.track_record.history
    counts = history.groupby(["role", "name"]).size().reset_index(name="films")
    counts = counts.sort_values(["films", "name"], ascending=[False, True], kind="stable")
    names = {role: counts.loc[counts["role"] == role, "name"].tolist() for role in ("director", "cast", "company")}
    settings = predictor.settings
    return {
        "names": {"directors": names["director"], "cast": names["cast"], "production_companies": names["company"]},
        "keywords": list(settings["keywords"]),
        "genres": [*settings["genres"], *settings["more_genres"]],
        "hit_multiple": settings["hit_multiple"],
        "cpi_base_year": settings["cpi_base_year"],
        # amounts for later years are in this year's prices (the price index ends there): the page says so
        "prices_until": int(cpi_u()[0][-1]),
        "example": PRE_RELEASE_EXAMPLE,
        "forward": predictor.forward.to_json(),
        "population": predictor.population.to_json(),
        "data_limits": predictor.limits.describe(),
        "producer_defaults": {"distributor_share": DEFAULT_SHARE, "p_and_a_multiple": DEFAULT_P_AND_A_MULTIPLE},
    }
