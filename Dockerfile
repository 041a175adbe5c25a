FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation2 gettext \
    postgresql-client \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
RUN DEBUG=true python manage.py collectstatic --noinput \
 && useradd --system --uid 1000 coopportal && mkdir -p /app/var && chown -R coopportal /app/var
USER coopportal
EXPOSE 8000
# Workers, threads, timeout: coopportal/gunicorn_conf.py (the load test measures that shape).
CMD ["gunicorn", "coopportal.wsgi:application", "-c", "python:coopportal.gunicorn_conf"]
