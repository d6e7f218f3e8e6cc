"""Feature sets: which columns each variant's models use (params.yaml), and the leak guard."""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

from boxoffice.features.transforms import flag_column
from boxoffice.params import Params

# Known only after a film is out: a pre-release feature set may not use them.
POST_RELEASE = frozenset(
    {
        *("popularity", "log_popularity", "vote_avg", "vote_count", "log_vote_count"),
        *("revenue", "log_revenue", "real_log_revenue", "is_hit"),
    }
)
VARIANTS = ("main", "pre_release")  # the models /predict serves, and those /predict/pre_release serves
# In a feature set, these stand for the 0/1 flags of the names listed under the same key in featurize.
FLAG_TOKENS = {"genres": "genre", "more_genres": "genre", "keywords": "keyword"}
TARGETS = ("log_revenue", "real_log_revenue", "is_hit")


def check_feature_set(name: str, features: Sequence[str]) -> list[str]:
    """Refuse a pre-release set that uses anything known only after release."""
    leaked = sorted(set(features) & POST_RELEASE)
    if name == "pre_release" and leaked:
        raise ValueError(f"feature set 'pre_release' uses post-release column(s): {', '.join(leaked)}")
    leaked_targets = sorted(set(features) & set(TARGETS))
    if leaked_targets:
        raise ValueError(f"feature set {name!r} uses the target(s): {', '.join(leaked_targets)}")
    return list(features)


def feature_set_name(params: Params, variant: str = "main") -> str:
    """``features.set`` for the main models; always ``pre_release`` for the pre-release ones."""
    if variant not in VARIANTS:
        raise KeyError(f"unknown variant {variant!r}; known: {', '.join(VARIANTS)}")
    return params["features"]["set"] if variant == "main" else "pre_release"


def expand_set(params: Params, name: str) -> list[str]:
    """A feature set from params.yaml, checked, with 'genres'/'more_genres'/'keywords' expanded to flags."""
    sets = params["features"]["sets"]
    if name not in sets:
        raise KeyError(f"feature set {name!r} is not defined; params.yaml defines {', '.join(sets)}")
    columns: list[str] = []
    for item in sets[name]:
        if item in FLAG_TOKENS:
            names = cast(list[str], params["featurize"].get(item, []))  # genres, more_genres or keywords
            columns += [flag_column(FLAG_TOKENS[item], value) for value in names]
        else:
            columns.append(item)
    return check_feature_set(name, columns)


def in_constant_dollars(params: Params, variant: str) -> bool:
    """Whether the variant's models work in constant dollars (``featurize.constant_dollars``).

    Only the pre-release models can: their films have a release date, /predict's do not.
    Their budget feature is then ``real_log_budget`` and their target ``real_log_revenue``.
    """
    return variant == "pre_release" and bool(params["featurize"].get("constant_dollars"))


def selected_features(params: Params, variant: str = "main") -> list[str]:
    """The feature columns the ``variant``'s models use (``log_budget`` in constant dollars where it applies)."""
    columns = expand_set(params, feature_set_name(params, variant))
    if in_constant_dollars(params, variant):
        columns = ["real_log_budget" if column == "log_budget" else column for column in columns]
    return columns
