# Production image: slim Python, WeasyPrint's system libraries, the app, and Debian's nginx in
# front of gunicorn (deploy/), all as a non-root user.
#   docker build -t nerve-check .
#   docker run -p 8080:8080 -e SCREENING_SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_hex(32))') nerve-check
# Put it behind an HTTPS proxy (the session cookie is Secure in production). Scale by running
# more containers with the same SCREENING_SECRET_KEY.
FROM python:3.11-slim-bookworm

# Pango (with HarfBuzz and fontconfig) is what WeasyPrint needs to lay out text; the PDF font
# itself is vendored in screening/static/fonts, so no font packages are needed. nginx is
# Debian's; only its binary and mime.types are used (deploy/proxy.py writes its own config).
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 nginx \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 10001 screening
WORKDIR /app
COPY pyproject.toml README.md rules.yaml ./
COPY screening ./screening
COPY templates ./templates
COPY deploy ./deploy
# Editable install: rules.yaml and templates/ stay at the top level of /app, where the app reads them.
RUN pip install --no-cache-dir -e . \
    && python -c "import screening; screening.load_rules()"

USER screening
ENV SCREENING_ENV=production \
    SCREENING_TRUSTED_PROXIES=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s --start-period=30s CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8080/healthz', timeout=3)"
# deploy/proxy.py is the entry: one gunicorn instance (workers from the CPUs the container may
# use) on a unix socket in /tmp, nginx on port 8080 in front, both stopped cleanly by
# `docker stop` (SIGTERM); if either dies, the container exits and can be restarted.
CMD ["python", "-m", "deploy.proxy", "--host", "0.0.0.0", "--port", "8080", "--instances", "1"]
