"""Laurel's settings plus what only the benchmark needs: the baseline app (django-fsm-log,
django-simple-history) and the run's own PostgreSQL database (`BENCH_DATABASE_NAME`)."""

import os

from config.settings import *  # noqa: F403
from config.settings import INSTALLED_APPS, POSTGRES_OPTIONS

DEBUG = False  # as in production: no query log kept in memory
ROOT_URLCONF = "bench.urls"  # Laurel's, and the empty page section 2 measures the floor with
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]

INSTALLED_APPS = [
    *INSTALLED_APPS,
    "django_fsm_log",
    "simple_history",
    "bench.baseline",
]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": os.environ.get("BENCH_DATABASE_NAME", "laurel_bench"),
        "USER": os.environ.get("BENCH_DATABASE_USER", "postgres"),
        "HOST": os.environ.get("BENCH_DATABASE_HOST", "127.0.0.1"),
        "PORT": os.environ.get("BENCH_DATABASE_PORT", "5432"),
        "CONN_MAX_AGE": None,  # one connection per worker process, kept for the whole run
        "OPTIONS": dict(POSTGRES_OPTIONS),  # as the app's own settings: prepared statements
    }
}

# django-fsm-log listens to every django-fsm transition in the process; Laurel's nominations
# keep their own decision records and audit events, so it must not also log them here.
DJANGO_FSM_LOG_IGNORED_MODELS = ["nominations.models.nomination.Nomination"]

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fixture users only
LOGGING = {"version": 1, "disable_existing_loggers": False}

if os.environ.get("BENCH_SERVING"):
    # Served by gunicorn (`bench/http_load.py`, `bench/faults.py`): connections kept a minute and
    # checked before reuse, as a production server would, so that a restarted database costs a
    # reconnection rather than an error; each worker's connection names the worker's process,
    # so that the fault run can find the worker in the middle of a transaction.
    DATABASES["default"] |= {
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {**POSTGRES_OPTIONS, "application_name": f"laurel-worker-{os.getpid()}"},
    }
    # A server error is logged with its traceback (gunicorn's log, kept by the run).
    LOGGING = {
        "version": 1,
        "disable_existing_loggers": False,
        "handlers": {"console": {"class": "logging.StreamHandler"}},
        "loggers": {
            "django.request": {"handlers": ["console"], "level": "ERROR"},
            "nominations": {"handlers": ["console"], "level": "WARNING"},
        },
    }
