"""Write an nginx.conf for the production layout: `python deploy/render_nginx.py OUT key=value ...`."""

from __future__ import annotations

import sys
from pathlib import Path
from string import Template

TEMPLATE = Path(__file__).with_name("nginx.conf.template")
DEFAULTS = {
    "LISTEN_PORT": "8080",
    "PAGES_PORT": "8001",
    "ASGI_PORT_1": "8002",
    "ASGI_PORT_2": "8003",
    "RUN_DIR": "/var/lib/homegroup/nginx",
}


def render(**values: str) -> str:
    """Fill the ${NAME} placeholders; nginx's own $variables are left as they are."""
    text = Template(TEMPLATE.read_text()).safe_substitute({**DEFAULTS, **values})
    if "${" in text:
        raise ValueError("a ${...} placeholder in the nginx template has no value")
    return text


def main(argv: list[str]) -> None:
    out, *pairs = argv
    values = dict(pair.split("=", 1) for pair in pairs)
    Path(out).write_text(render(**values))


if __name__ == "__main__":
    main(sys.argv[1:])
