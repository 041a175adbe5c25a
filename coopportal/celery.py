import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coopportal.settings")

app = Celery("coopportal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Packages inside apps are not found by the default discovery; their tasks modules are named here.
app.autodiscover_tasks(["reporting.documents"])
