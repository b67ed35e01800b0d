# The portal image: gunicorn for the web process; the same image runs the Celery worker and beat.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/data/media \
    PRIVATE_STORAGE_ROOT=/data/private \
    EMAIL_FILE_PATH=/data/outbox/mail \
    SMS_FILE_PATH=/data/outbox/sms

# Pango for WeasyPrint (invoices and acts as PDF), libmagic for upload type checks, DejaVu so
# Azerbaijani, Cyrillic and Uzbek letters render in the PDFs.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libmagic1 fonts-dejavu \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 1000 --user-group abonent
WORKDIR /app

COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
# Static files are collected into the image (served by WhiteNoise); the catalogues are compiled
# here and owned by the app user so that compile_catalogues at start-up can refresh them.
RUN python manage.py collectstatic --noinput \
    && python manage.py compile_catalogues \
    && mkdir -p /app/var /data/media /data/private /data/outbox \
    && chown -R abonent:abonent /app/var /app/locale /data

USER abonent
EXPOSE 8000
CMD ["gunicorn", "portal.wsgi", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
