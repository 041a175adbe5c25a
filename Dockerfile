FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation2 gettext \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
RUN DEBUG=true python manage.py collectstatic --noinput \
 && useradd --system --uid 1000 coopportal && mkdir -p /app/var && chown -R coopportal /app/var
USER coopportal
EXPOSE 8000
CMD ["gunicorn", "coopportal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
