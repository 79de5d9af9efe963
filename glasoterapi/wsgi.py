"""WSGI entry point for gunicorn: ``gunicorn -c glasoterapi/gunicorn.conf.py``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "glasoterapi.settings")

application = get_wsgi_application()
