"""The service's settings, in one place: the environment (``BOXOFFICE_<NAME>``) over ``serve.*`` in params.yaml."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict, YamlConfigSettingsSource

from boxoffice.params import PARAMS_FILE


class ServeSettings(BaseSettings):
    """Keyword arguments first (``create_app(...)``), then the environment, then params.yaml, then the defaults."""

    model_config = SettingsConfigDict(env_prefix="BOXOFFICE_", extra="ignore")

    models_dir: Path = Path("models")
    dvc_lock: Path = Path("dvc.lock")  # /model checks the served files' hashes against it
    max_batch: int = Field(10_000, ge=1)  # largest /batch_predict request
    coalesce: int = Field(64, ge=1)  # at most this many single films scored by one call (serving.coalescing)
    coalesce_turns: int = Field(3, ge=1)  # ... gathered over this many turns of the event loop (env only)
    max_comps: int = Field(20, ge=0)  # ?comps=N: at most this many comparable films
    max_scenarios: int = Field(200, ge=1)  # what-if scenarios in one request

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        if not Path(PARAMS_FILE).is_file():  # run outside the project: the environment and the defaults
            return init_settings, env_settings
        params = YamlConfigSettingsSource(settings_cls, yaml_file=PARAMS_FILE, yaml_config_section="serve")
        return init_settings, env_settings, params
