# Production image: `cobalto serve` (API + web) or `cobalto worker`, PostgreSQL and Redis/RabbitMQ
# configured through COBALTO_* variables. Multi-stage: build wheels with the lock, ship a slim runtime.
FROM python:3.11-slim AS build
WORKDIR /src
RUN pip install --no-cache-dir uv==0.13.9
COPY requirements/app.lock requirements/app.lock
RUN uv venv /opt/venv && VIRTUAL_ENV=/opt/venv uv pip install --no-cache --require-hashes -r requirements/app.lock
COPY pyproject.toml README.md alembic.ini ./
COPY app app
COPY migrations migrations
RUN VIRTUAL_ENV=/opt/venv uv pip install --no-cache --no-deps .

FROM python:3.11-slim
RUN useradd --system --uid 10001 --home /srv cobalto
COPY --from=build /opt/venv /opt/venv
COPY --from=build /src/alembic.ini /srv/alembic.ini
COPY --from=build /src/migrations /srv/migrations
WORKDIR /srv
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    COBALTO_HOST=0.0.0.0 \
    COBALTO_PORT=8000 \
    COBALTO_VAR_DIR=/srv/var \
    COBALTO_SECURE_COOKIES=1
USER cobalto
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/health').status != 200)"
CMD ["cobalto", "serve", "--workers", "2"]
