"""Where the project lives on disk (templates, static files, the default instance folder)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
