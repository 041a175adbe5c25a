"""The one settings module of CoopPortal; every deployment difference comes from the environment.

With no environment at all it runs the embedded default of `make run`: SQLite and a
filesystem Celery broker in var/, mail written to var/mail.  DATABASE_URL and REDIS_URL
switch to PostgreSQL and Redis without any other change.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured

from coopportal.env import env_bool, env_int, env_list, env_str

# Generic admin and form classes (ModelAdmin[Agreement]) are subscriptable at run time.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("COOPPORTAL_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", default=False)
_INSECURE_DEV_KEY = "dev-only-insecure-key-for-make-run-and-tests-0123456789"
SECRET_KEY = env_str("SECRET_KEY", _INSECURE_DEV_KEY if DEBUG else None)
if not DEBUG and SECRET_KEY == _INSECURE_DEV_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set to a real secret when DEBUG is off.")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_filters",
    "django_htmx",
    "django_celery_beat",
    "axes",
    "core",
    "agreements",
    "reporting",
    "meetings",
    "notifications",
    "demo",
    "coopportal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise (static files keep their own headers): CSP, Permissions-Policy, no-store when signed in.
    "coopportal.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "coopportal.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before CSRF, which reads the form: a body over its sender's cap is refused (413) unread; the check
    # runs in process_view, when the user is known.
    "coopportal.middleware.RequestSizeLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # NUL in the path or the query string: 400 before a search or the admin hands it to PostgreSQL.
    "core.middleware.RefuseNulMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "coopportal.middleware.SessionLifetimeMiddleware",
    # A 405 in the layout and language of the user (known by now) instead of Django's empty answer.
    "coopportal.middleware.MethodNotAllowedPageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a refused login (/login/ or /admin/login/) into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "coopportal.urls"
WSGI_APPLICATION = "coopportal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "notifications.context_processors.unread_notifications",
            ],
        },
    }
]

# Django's form templates through Jinja2, the rest through the Django engine (core/rendering.py).
FORM_RENDERER = "core.rendering.FormRenderer"

_default_db = f"sqlite:///{VAR_DIR / 'db.sqlite3'}"
try:
    DATABASES = {
        "default": dj_database_url.parse(
            env_str("DATABASE_URL", _default_db), conn_max_age=env_int("DB_CONN_MAX_AGE", 60)
        )
    }
except ValueError as exc:
    raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from exc
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # `make run` writes from the web app, the worker and beat at once: a transaction takes the write lock
    # when it begins (a read upgraded to a write would fail at once with "database is locked"), and
    # waits up to 20 s for it.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"transaction_mode": "IMMEDIATE", "timeout": 20})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # Django's length rule with a Vietnamese message (coopportal.accounts): at least 12 characters.
    {"NAME": "coopportal.accounts.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes checks every login (the app's and the admin's) before Django's own backend does.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Ho_Chi_Minh"

# The app's clock (core.clock) stands still at this instant (ISO 8601 with offset) when set: the
# test suite sets it for the Celery workers it starts, so that every process of a test lives on
# the same frozen day. Development only; refused with DEBUG off.
FROZEN_NOW = env_str("COOPPORTAL_FROZEN_NOW", "")
if FROZEN_NOW and not DEBUG:
    raise ImproperlyConfigured("COOPPORTAL_FROZEN_NOW freezes the clock and is for tests only; unset it.")
FORMAT_MODULE_PATH = ["coopportal.formats"]

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "staticfiles")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# Uploads (evidence, signed agreements) and stored PDFs go through Django's storage API: MEDIA_ROOT by
# default; with STORAGE_BACKEND=s3 an S3-compatible store (MinIO on premises) that several web and worker
# machines share.  The bucket stays private: a file reaches a user only through a view that checks who
# asks and streams it (the admin's links are signed and last 5 minutes).
STORAGE_BACKEND = env_str("STORAGE_BACKEND", "local")
_default_storage: dict[str, object]
if STORAGE_BACKEND == "local":
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
elif STORAGE_BACKEND == "s3":
    _s3_endpoint = env_str("AWS_S3_ENDPOINT_URL", "")
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": _s3_endpoint or None,  # empty: Amazon S3 itself
            "region_name": env_str("AWS_S3_REGION_NAME", "") or None,
            # Empty keys: boto3 finds its own (its environment variables, an instance role).
            "access_key": env_str("AWS_ACCESS_KEY_ID", "") or None,
            "secret_key": env_str("AWS_SECRET_ACCESS_KEY", "") or None,
            "location": env_str("AWS_LOCATION", ""),  # a folder in the bucket, when it is shared
            # MinIO and most on-premises stores answer at one address, the bucket in the path.
            "addressing_style": env_str("AWS_S3_ADDRESSING_STYLE", "path" if _s3_endpoint else "") or None,
            "signature_version": "s3v4",
            # Two uploads with the same name keep both files, as on a local disk.
            "file_overwrite": False,
            "querystring_auth": True,
            "querystring_expire": 300,
            # A download is spooled to a temporary file past 2 MiB, not held in memory.
            "max_memory_size": 2 * 1024 * 1024,
        },
    }
else:
    raise ImproperlyConfigured(f"STORAGE_BACKEND={STORAGE_BACKEND!r} is neither local nor s3.")
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Evidence and signed documents: large enough for a scanned PDF, small enough for e-mail.
MAX_UPLOAD_BYTES = env_int("MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_UPLOAD_BYTES + 1024 * 1024

# Official documents (reporting/documents): above DOCUMENTS_ASYNC_THRESHOLD commitments a PDF is
# rendered by the Celery worker, not in the request; from DOCUMENTS_PARALLEL_THRESHOLD its appendix
# is laid out in a second process; DOCUMENTS_CELERY_QUEUE (empty: the default queue) separates renders.
# A render holds its claim for a lease sized from its expected time, at least DOCUMENTS_LEASE_MIN_SECONDS
# and at most DOCUMENTS_RENDER_TIMEOUT; a render whose lease ran out (or whose process died) is queued
# again by the sweep, and after DOCUMENTS_MAX_ATTEMPTS interrupted renders it fails with a message.
# Renders keep their temporary files under DOCUMENTS_SCRATCH_DIR (docs/documents.md).
DOCUMENTS_ASYNC_THRESHOLD = env_int("DOCUMENTS_ASYNC_THRESHOLD", 200)
DOCUMENTS_PARALLEL_THRESHOLD = env_int("DOCUMENTS_PARALLEL_THRESHOLD", 50)
DOCUMENTS_RENDER_TIMEOUT = env_int("DOCUMENTS_RENDER_TIMEOUT", 900)
DOCUMENTS_LEASE_MIN_SECONDS = env_int("DOCUMENTS_LEASE_MIN_SECONDS", 60)
DOCUMENTS_MAX_ATTEMPTS = env_int("DOCUMENTS_MAX_ATTEMPTS", 3)
DOCUMENTS_SCRATCH_DIR = Path(env_str("DOCUMENTS_SCRATCH_DIR", str(VAR_DIR / "tmp" / "documents")))
DOCUMENTS_CELERY_QUEUE = env_str("DOCUMENTS_CELERY_QUEUE", "") or None

# Celery: Redis when REDIS_URL is set, otherwise kombu's filesystem transport so that
# `make run` needs no server.
REDIS_URL = env_str("REDIS_URL", "")
_celery_dir = VAR_DIR / "celery"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    # A broker that is down, or accepts connections and never answers, must not hold a web request:
    # with these and the publish retry policy below, sending a task fails within about 7 s.
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {"socket_connect_timeout": 3, "socket_timeout": 3}
else:
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_celery_dir / "queue"),
        "data_folder_out": str(_celery_dir / "queue"),
        "processed_folder": str(_celery_dir / "processed"),
        # Broadcasts (worker control) too, or kombu writes ./control/ wherever the command was started.
        "control_folder": str(_celery_dir / "control"),
        "store_processed": False,
    }
    # The folders must exist before the first task is sent (a management command, not only `make run`).
    (_celery_dir / "queue").mkdir(parents=True, exist_ok=True)
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5, "interval_max": 0.5}
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
# The schedule lives in the database (django_celery_beat, edited in the admin); its rows are
# created by notifications/migrations (the document sweep's by reporting/migrations/0010_render_lease),
# so `beat` needs no schedule file and no settings entry.
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
DJANGO_CELERY_BEAT_TZ_AWARE = True

EMAIL_HOST = env_str("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 25)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
    # A mail server that stops answering must not hold a worker forever: the send fails and is retried.
    EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(VAR_DIR / "mail")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "CoopPortal <no-reply@coopportal.local>")
# Links in e-mails are absolute: the address users open the app at.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Notifications (notifications/): a claimed e-mail whose worker has not finished within the lease is taken
# as lost (the worker died) and sent again; a failed send is retried after 1, 2, 4... minutes, at most
# NOTIFICATIONS_MAX_ATTEMPTS times. The reminder offsets themselves are edited in the admin.
NOTIFICATIONS_CLAIM_LEASE_SECONDS = env_int("NOTIFICATIONS_CLAIM_LEASE_SECONDS", 600)
NOTIFICATIONS_RETRY_BASE_SECONDS = env_int("NOTIFICATIONS_RETRY_BASE_SECONDS", 60)
NOTIFICATIONS_MAX_ATTEMPTS = env_int("NOTIFICATIONS_MAX_ATTEMPTS", 6)
NOTIFICATIONS_CELERY_QUEUE = env_str("NOTIFICATIONS_CELERY_QUEUE", "") or None

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Sent on every page by coopportal.middleware.SecurityHeadersMiddleware; an operator may tighten it (an
# empty value sends none). Scripts only from the app's static files (the templates hold no inline
# script); inline styles stay allowed for htmx's indicator <style> and the documents shown as HTML
# (?format=html, their <style> and style= attributes); data: images for small inline icons. No page
# is framed (PDFs are downloads, never shown in an iframe), hence frame-ancestors 'none' as X-Frame-Options.
CONTENT_SECURITY_POLICY = env_str(
    "CONTENT_SECURITY_POLICY",
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'",
)

# Sessions end after SESSION_IDLE_MINUTES without a request and SESSION_MAX_HOURS after the login
# whatever the activity (coopportal.middleware.SessionLifetimeMiddleware).  The expiry of the cookie and
# of the stored session is moved on at most once every SESSION_RENEW_SECONDS, not written on every request:
# a session ends between SESSION_IDLE_MINUTES and that much more after its last request.
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 30)
SESSION_MAX_HOURS = env_int("SESSION_MAX_HOURS", 12)
SESSION_RENEW_SECONDS = 60
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60 + SESSION_RENEW_SECONDS
SESSION_SAVE_EVERY_REQUEST = False
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# A form sent from a page older than the session gets a page in the app's layout that says what to do.
CSRF_FAILURE_VIEW = "coopportal.errors.csrf_failure"

# Login brute-force protection (django-axes): LOGIN_FAILURE_LIMIT wrong passwords for one username from
# one IP address lock that pair out for LOGIN_LOCKOUT_MINUTES (another user, or the same user elsewhere,
# still signs in); an admin unlocks earlier by deleting the attempt in the admin ("Access attempts") or
# with `manage.py axes_reset_username`. Behind N reverse proxies set LOGIN_PROXY_COUNT=N so that the
# client's address is read from X-Forwarded-For, not the proxy's.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
# Password-reset mails to one address in an hour (coopportal.accounts.PasswordResetView); anyone may ask for
# one, and without a cap anyone could fill a colleague's inbox. Past it the page answers as always.
PASSWORD_RESET_MAILS_PER_HOUR = env_int("PASSWORD_RESET_MAILS_PER_HOUR", 3)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The log names the username and the address of each failure and lockout (the password never).
AXES_SENSITIVE_PARAMETERS: list[str] = []
AXES_LOCKOUT_CALLABLE = "coopportal.accounts.lockout_response"
# A username longer than axes' column (a page pasted into the box) is counted under its first 255 characters.
AXES_USERNAME_CALLABLE = "coopportal.accounts.login_username"
_proxy_count = env_int("LOGIN_PROXY_COUNT", 0)
if _proxy_count:
    AXES_IPWARE_PROXY_COUNT = _proxy_count
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # A refusal is one line (coopportal.logs.RefusalWithoutTraceback); an error keeps its traceback.
    "filters": {"refusal_without_traceback": {"()": "coopportal.logs.RefusalWithoutTraceback"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["refusal_without_traceback"]}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # Failed logins (INFO) and lockouts (WARNING) reach the console whatever LOG_LEVEL says, and so do
    # refused requests (WARNING: 403, CSRF) and hidden ones (INFO: 404) with who and from where
    # (coopportal.errors).
    "loggers": {"axes": {"level": "INFO"}, "coopportal.security": {"level": "INFO"}},
}

# --- Cache (issue 11) -----------------------------------------------------------------------------
# The figures of the dashboard across agreements (reporting.dashboards.overview) are aggregates of up to
# every commitment and report of the instance; they are kept a few minutes per scope.  In PostgreSQL, which
# every web and worker machine already shares (a per-process cache would give each gunicorn worker figures
# of its own age), in the table of core.models.CacheEntry, so that migrate creates it and tests roll it back.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "coopportal_cache",
        "TIMEOUT": 300,
        "OPTIONS": {"MAX_ENTRIES": 10_000},
    }
}

# How long walks of the succession of bodies and units (who answers for a body, what it is today) are kept
# (agreements.graph); any change to a body or a unit renews them at once. 0: walked on every request.
BODY_GRAPH_CACHE_SECONDS = env_int("BODY_GRAPH_CACHE_SECONDS", 300)

# --- Request bodies, sessions, uploads (issue 12, point 7) ------------------------------------------
# A session cookie Django could not have issued (32 characters of [a-z0-9]) is no session and never
# reaches the database: one with a NUL byte made psycopg2 fail an anonymous page (coopportal.sessions).
SESSION_ENGINE = "coopportal.sessions"
# coopportal.middleware.RequestSizeLimitMiddleware answers 413, from Content-Length and before a byte is
# read, to a body over its sender's cap: a visitor not signed in posts the login and password-reset forms
# (a few hundred bytes); a signed-in user's form without files may be as large as Django accepts in form
# fields (a long draft; an admin form with one signed document); a view that takes files
# (core.uploads.accepts_uploads: the draft and the entry save) that and five of the largest evidence files.
# A reverse proxy in front should refuse the same sizes first (nginx: client_max_body_size).
REQUEST_MAX_BYTES_ANONYMOUS = env_int("REQUEST_MAX_BYTES_ANONYMOUS", 1024 * 1024)
REQUEST_MAX_BYTES = env_int("REQUEST_MAX_BYTES", DATA_UPLOAD_MAX_MEMORY_SIZE)
REQUEST_MAX_BYTES_UPLOAD = env_int("REQUEST_MAX_BYTES_UPLOAD", DATA_UPLOAD_MAX_MEMORY_SIZE + 5 * MAX_UPLOAD_BYTES)
