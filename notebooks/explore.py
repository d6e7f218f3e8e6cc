# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Exploring the TMDB 5000 films
#
# Reads what the pipeline produced (`dvc repro` first): the cleaned table from
# `prepare` and the splits from `featurize`. Open it as a notebook with
# `jupytext --to notebook notebooks/explore.py`, or run it as a script.

# %%
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from boxoffice.io import read_csv
from boxoffice.params import load_params

ROOT = Path.cwd() if (Path.cwd() / "dvc.yaml").exists() else Path.cwd().parent
movies = read_csv(ROOT / "data/prepared/movies.csv")
features = pd.concat(
    [read_csv(ROOT / f"data/features/{part}.csv").assign(split=part) for part in ("train", "validation", "test")]
)

# %% [markdown]
# ## Overview

# %%
print(
    f"{len(movies)} films with a known budget and revenue, released {movies.release_date.min()} to "
    f"{movies.release_date.max()}"
)
movies[["budget", "revenue", "runtime", "popularity", "vote_avg", "vote_count"]].describe().round(1)

# %% [markdown]
# ## Budget and revenue, raw and logged
#
# Both are heavily right-skewed; their logs are close to symmetric, which is why the
# models predict `log_revenue`. The thin left tail of the logs is the placeholder
# amounts (budgets or revenues of a few dollars).

# %%
fig, axes = plt.subplots(2, 2, figsize=(10, 7))
for column, row in (("budget", 0), ("revenue", 1)):
    axes[row, 0].hist(movies[column] / 1e6, bins=50)
    axes[row, 0].set_title(f"{column} ($M)")
    axes[row, 1].hist(np.log1p(movies[column]), bins=50)
    axes[row, 1].set_title(f"log1p({column})")
fig.tight_layout()

# %%
print("films with a budget under $10,000:", int((movies.budget < 10_000).sum()))
print("films with a revenue under $10,000:", int((movies.revenue < 10_000).sum()))

# %% [markdown]
# ## Hit rate by genre
#
# A hit earns more than `featurize.hit_multiple` (params.yaml) times its budget. These films
# are TMDB's most-voted, mostly successes, so every rate here is higher than for films in general.

# %%
hit_multiple = load_params("featurize", ROOT / "params.yaml")["hit_multiple"]
genres = movies.assign(genre=movies.genres.str.split("|"), hit=movies.revenue > hit_multiple * movies.budget).explode(
    "genre"
)
by_genre = genres.groupby("genre").agg(films=("hit", "size"), hit_rate=("hit", "mean")).sort_values("hit_rate")
all_films = (movies.revenue > hit_multiple * movies.budget).mean()
ax = by_genre.hit_rate.plot.barh(figsize=(7, 6), title=f"hit rate by genre (all films: {all_films:.0%})")
by_genre.round(3)

# %% [markdown]
# ## Log budget against log revenue

# %%
correlation = np.corrcoef(features.log_budget, features.log_revenue)[0, 1]
fig, ax = plt.subplots(figsize=(6, 5))
ax.scatter(features.log_budget, features.log_revenue, s=4, alpha=0.4)
ax.set(xlabel="log budget", ylabel="log revenue", title=f"Pearson r = {correlation:.3f}")
print(f"correlation of log budget with log revenue: {correlation:.3f}")
