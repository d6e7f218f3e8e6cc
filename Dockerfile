# The boxoffice prediction service. Run the pipeline first (`dvc repro`): the image
# copies the models it produced. docker compose mounts models/, dvc.lock and params.yaml instead.
# Two stages: `dependencies` needs no models, so it can be built before the pipeline has run
# (.ci/run does, while the tests run); the image itself adds the code and the models.
FROM python:3.11-slim AS dependencies

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app

# Dependencies first, so code changes do not reinstall them.
COPY requirements-serve.txt .
# uv installs them (the uv of requirements.txt, removed in the same layer: the image keeps requirements-serve.txt only),
# in a fraction of pip's time; it compiles their bytecode, as pip does.
RUN pip install uv==0.13.9 \
 && UV_NO_CACHE=1 uv pip install --system-certs --python "$(command -v python)" --compile-bytecode -r requirements-serve.txt \
 && pip uninstall --yes uv

FROM dependencies
COPY boxoffice/ boxoffice/
COPY main.py params.yaml dvc.lock ./
COPY models/ models/

RUN useradd --create-home --uid 10001 boxoffice
# The ledger's SQLite file when no BOXOFFICE_LEDGER_URL is given (the image run alone): the only
# folder the service writes, a volume so that saved forecasts outlive the container.
RUN mkdir /app/ledger && chown boxoffice:boxoffice /app/ledger
VOLUME /app/ledger
USER boxoffice

# numba compiles the service's kernels once here, into the user's cache, rather than at every
# start (most of the start-up when uncached; bench/container.py). A CPU unlike the builder's
# compiles again at start. The models loaded here are the copied ones; a mount replaces them.
ENV NUMBA_CACHE_DIR=/home/boxoffice/numba-cache
RUN python -c "from pathlib import Path; from boxoffice.serving.loading import load_predictors; \
error = load_predictors(Path('models'))[1]; assert error is None, error"

# The commit the image was built from, recorded with each forecast the ledger keeps (the image has no
# .git to ask). Last, so a new commit rebuilds only this layer. deploy/images.sh passes git's HEAD.
ARG BOXOFFICE_COMMIT=unknown
# A RUN naming the argument: podman 4.3's layer cache keeps an ENV layer whatever the argument's value.
RUN echo "built from commit $BOXOFFICE_COMMIT"
ENV BOXOFFICE_COMMIT=$BOXOFFICE_COMMIT

EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
  CMD python -c "import urllib.request, sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=2).status != 200)"
CMD ["uvicorn", "main:app", "--host", "0.0.0.0", "--port", "8000"]
