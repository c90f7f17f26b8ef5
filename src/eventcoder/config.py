"""One config object, layered: commented defaults -> YAML file -> EVENTCODER_* env vars -> CLI options."""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from eventcoder.errors import DataError

ENV_PREFIX = "EVENTCODER_"
_RANGES = {"min_confidence": (0.0, 1.0), "write_wait_s": (0.0, 60.0), "header_timeout_s": (0.1, 3600.0),
           "idle_timeout_s": (0.1, 3600.0)}  # float settings that have bounds


@dataclass(frozen=True)
class Config:
    """Settings for the store, the API server and its limits (see data/config/defaults.yaml)."""

    db: str
    host: str
    port: int
    token: str
    max_body_bytes: int
    cors_origins: tuple[str, ...]
    page_size: int
    max_page_size: int
    write_rate_per_minute: int
    write_burst: int
    min_confidence: float
    queue_size: int
    queue_path: str
    queue_retry_after_s: int
    write_wait_s: float
    max_connections: int
    header_timeout_s: float
    idle_timeout_s: float
    trusted_proxies: tuple[str, ...]
    response_cache_mb: int


def _defaults() -> dict[str, Any]:
    text = resources.files("eventcoder").joinpath("data/config/defaults.yaml").read_text(encoding="utf-8")
    return dict(yaml.safe_load(text))


def _coerce(name: str, value: Any, origin: str) -> Any:
    """Convert one setting to its field type; raise ``DataError`` naming the setting and where it came from."""
    kind = {f.name: f.type for f in fields(Config)}[name]
    try:
        if kind == "int":
            return int(value)
        if kind == "float":
            number = float(value)
            low, high = _RANGES.get(name, (-math.inf, math.inf))
            if not low <= number <= high:  # NaN fails too
                raise ValueError(f"outside {low}-{high}")
            return number
        if kind == "tuple[str, ...]":
            items = value.split(",") if isinstance(value, str) else list(value or [])
            return tuple(str(item).strip() for item in items if str(item).strip())
        return "" if value is None else str(value)
    except (TypeError, ValueError) as exc:
        bounds = " between {} and {}".format(*_RANGES[name]) if name in _RANGES else ""
        raise DataError(f"{origin}: setting {name!r} must be {kind}{bounds}, got {value!r}") from exc


def load_config(path: str | None = None, env: Mapping[str, str] | None = None, **overrides: Any) -> Config:
    """Build the config from the layers; ``overrides`` (CLI options) that are ``None`` are ignored.

    Example: ``load_config(env={"EVENTCODER_PORT": "9000"}, db="x.sqlite").port == 9000``.
    """
    env = os.environ if env is None else env
    names = {f.name for f in fields(Config)}
    values = {name: _coerce(name, value, "defaults.yaml") for name, value in _defaults().items()}
    path = path or env.get(ENV_PREFIX + "CONFIG")
    if path:
        try:
            loaded = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise DataError(f"{path}: cannot read config file ({exc})") from exc
        if not isinstance(loaded, dict):
            raise DataError(f"{path}: a config file is a mapping of settings")
        unknown = set(loaded) - names
        if unknown:
            raise DataError(f"{path}: unknown setting(s) {sorted(unknown)}; known: {sorted(names)}")
        values.update({name: _coerce(name, value, path) for name, value in loaded.items()})
    for name in names:
        if ENV_PREFIX + name.upper() in env:
            values[name] = _coerce(name, env[ENV_PREFIX + name.upper()], ENV_PREFIX + name.upper())
    for name, value in overrides.items():
        if name not in names:
            raise TypeError(f"unknown setting {name!r}")
        if value is not None:
            values[name] = _coerce(name, value, f"--{name.replace('_', '-')}")
    return Config(**values)
