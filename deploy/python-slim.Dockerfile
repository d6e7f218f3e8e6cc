# A stand-in for python:3.11-slim made from Debian's packages, for hosts that reach Debian's
# archive but no image registry (deploy/images.sh builds it only there). Like the official image:
# Python 3.11, `python` and `pip` on the PATH (a venv at /usr/local), CA certificates, nothing else.
FROM docker.io/library/debian:bookworm-slim
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3 python3-venv ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && python3 -m venv /usr/local \
 && python --version
CMD ["python3"]
