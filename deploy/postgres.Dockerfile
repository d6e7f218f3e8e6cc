# The ledger's database in the compose file: Debian's postgresql package on the local
# debian:bookworm-slim, as the balancer's nginx. The image holds no cluster and no password:
# deploy/postgres-start.sh makes the cluster on the volume at its first start, from the environment.
FROM docker.io/library/debian:bookworm-slim
# No cluster made by the package (the volume gets its own), and no TLS key: the ssl-cert package
# makes a snakeoil key when installed, which every container of the image would share.
RUN mkdir -p /etc/postgresql-common/createcluster.d \
 && echo "create_main_cluster = false" > /etc/postgresql-common/createcluster.d/no-main-cluster.conf \
 && apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql \
 && rm -rf /var/lib/apt/lists/* /etc/ssl/private/ssl-cert-snakeoil.key /etc/ssl/certs/ssl-cert-snakeoil.pem \
 && ln -s "$(ls -d /usr/lib/postgresql/*/bin)" /usr/local/lib/postgresql \
 && install -d -o postgres -g postgres -m 700 /var/lib/postgresql/data \
 && install -d -o postgres -g postgres -m 2775 /run/postgresql
COPY postgres-start.sh /usr/local/bin/postgres-start
ENV PATH=/usr/local/lib/postgresql:$PATH PGDATA=/var/lib/postgresql/data/cluster
USER postgres
EXPOSE 5432
STOPSIGNAL SIGINT
CMD ["postgres-start"]
