"""report: the results page and the model card, from the run's metrics (a light stage: seconds).

Usage: python -m stages.report METRICS_DIR SERVING_JSON FEATURES_DIR REPORTS_DIR
Writes REPORTS_DIR/results.md (``boxoffice.evaluation.results_page``) and
REPORTS_DIR/model-card.md (``boxoffice.evaluation.model_card``). Both are git-tracked
outputs (``cache: false``), so every run and experiment keeps them current.
"""

import argparse
from pathlib import Path

from boxoffice.evaluation.model_card import Films, model_card
from boxoffice.evaluation.results_page import results_page
from boxoffice.io import read_json, write_text
from boxoffice.prediction.manifest import ServingManifest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("metrics_dir", type=Path)
    parser.add_argument("serving", type=Path)
    parser.add_argument("features_dir", type=Path)
    parser.add_argument("reports_dir", type=Path)
    args = parser.parse_args()
    serving = ServingManifest.model_validate(read_json(args.serving))
    write_text(args.reports_dir / "results.md", results_page(args.metrics_dir, serving))
    write_text(args.reports_dir / "model-card.md", model_card(args.metrics_dir, serving, Films.of(args.features_dir)))
    print(f"report: {args.reports_dir / 'results.md'}, {args.reports_dir / 'model-card.md'}")


if __name__ == "__main__":
    main()
