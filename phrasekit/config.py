"""The user's config file: defaults for rendering (agent, company, signature) and settings."""

from __future__ import annotations

from pathlib import Path

from .packs import config_dir

EXAMPLE = """\
# phrasekit config: defaults for every render; a case file and --set override them.
agent:
  name: Sam Patel
company:
  name: Northwind Goods
signature: "Customer Care | Mon-Fri 8am-6pm"
"""


def config_path() -> Path:
    return config_dir() / "config.yaml"


def load_config() -> dict:
    """The config as a mapping; empty when there is no config file."""
    from .case import read_mapping_file

    path = config_path()
    if not path.is_file():
        return {}
    data, _ = read_mapping_file(path, "the config file")
    return data
