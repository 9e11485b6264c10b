# Production image: slim Python, WeasyPrint's system libraries, the app, gunicorn as a non-root user.
#   docker build -t nerve-check .
#   docker run -p 8000:8000 -e SCREENING_SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_hex(32))') nerve-check
# Put it behind an HTTPS proxy (the session cookie is Secure in production).
FROM python:3.11-slim-bookworm

# Pango (with HarfBuzz and fontconfig) is what WeasyPrint needs to lay out text; the PDF font
# itself is vendored in screening/static/fonts, so no font packages are needed.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 10001 screening
WORKDIR /app
COPY pyproject.toml README.md rules.yaml ./
COPY screening ./screening
COPY templates ./templates
# Editable install: rules.yaml and templates/ stay at the top level of /app, where the app reads them.
RUN pip install --no-cache-dir -e . \
    && python -c "import screening; screening.load_rules()"

USER screening
ENV SCREENING_ENV=production \
    SCREENING_BIND=0.0.0.0:8000 \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz')"
CMD ["gunicorn", "--config", "screening/gunicorn_conf.py"]
