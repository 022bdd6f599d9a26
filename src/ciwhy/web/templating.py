"""The dashboard's Jinja2 environment (autoescaping on), shared by every page."""

from __future__ import annotations

from pathlib import Path

from fastapi.templating import Jinja2Templates

from ciwhy.web.session import csrf_token

templates = Jinja2Templates(directory=str(Path(__file__).with_name("templates")))
templates.env.globals["csrf_token"] = csrf_token
