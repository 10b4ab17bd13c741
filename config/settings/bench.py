"""Production settings plus a bare "ceiling" view, for the benchmark suite only."""

from .production import *  # noqa: F403

ROOT_URLCONF = "config.urls_bench"
