"""Which engine to use and with what credentials: the process environment overrides the OS
keyring, which together with the saved settings is the default.

Environment variables use the Huawei SDK's own names where they exist, so scripts written for
the SDK configure dlscan too.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from dlscan_gui.core.errors import ConfigError
from dlscan_gui.core.secrets import SecretName, SecretStore
from dlscan_gui.core.settings import AuthMode, EngineChoice, Settings

ENV_AK = "HUAWEICLOUD_SDK_AK"
ENV_SK = "HUAWEICLOUD_SDK_SK"
ENV_SECURITY_TOKEN = "HUAWEICLOUD_SDK_SECURITY_TOKEN"
ENV_PROJECT_ID = "HUAWEICLOUD_SDK_PROJECT_ID"
ENV_REGION = "HUAWEICLOUD_SDK_REGION"
ENV_IAM_ENDPOINT = "HUAWEICLOUD_SDK_IAM_ENDPOINT"
ENV_ENDPOINT = "DLSCAN_ENDPOINT"
ENV_TOKEN = "DLSCAN_TOKEN"
ENV_IAM_USER = "DLSCAN_IAM_USER"
ENV_IAM_PASSWORD = "DLSCAN_IAM_PASSWORD"
ENV_IAM_DOMAIN = "DLSCAN_IAM_DOMAIN"

ENV_VARS: tuple[str, ...] = (
    ENV_AK,
    ENV_SK,
    ENV_SECURITY_TOKEN,
    ENV_PROJECT_ID,
    ENV_REGION,
    ENV_IAM_ENDPOINT,
    ENV_ENDPOINT,
    ENV_TOKEN,
    ENV_IAM_USER,
    ENV_IAM_PASSWORD,
    ENV_IAM_DOMAIN,
)

# Project id used in the URL path when talking to a dlscan server that needs none.
DEFAULT_SERVER_PROJECT = "dlscan"


@dataclass(frozen=True)
class Credentials:
    mode: AuthMode
    iam_user: str = ""
    iam_password: str = field(default="", repr=False)
    iam_domain: str = ""
    access_key: str = field(default="", repr=False)
    secret_key: str = field(default="", repr=False)
    security_token: str = field(default="", repr=False)
    token: str = field(default="", repr=False)

    def missing(self) -> list[str]:
        """Names of what this mode still needs (env var names, so the fix is obvious)."""
        need: dict[AuthMode, list[tuple[str, str]]] = {
            AuthMode.IAM: [
                (self.iam_user, ENV_IAM_USER),
                (self.iam_password, ENV_IAM_PASSWORD),
                (self.iam_domain, ENV_IAM_DOMAIN),
            ],
            AuthMode.AKSK: [(self.access_key, ENV_AK), (self.secret_key, ENV_SK)],
            AuthMode.TOKEN: [(self.token, ENV_TOKEN)],
            AuthMode.NONE: [],
        }
        return [name for value, name in need[self.mode] if not value]

    @property
    def complete(self) -> bool:
        return not self.missing()


@dataclass(frozen=True)
class EngineConfig:
    engine: EngineChoice  # never AUTO once resolved
    region: str
    endpoint: str  # OCR base URL; "" = Huawei's public endpoint for the region
    project_id: str
    iam_endpoint: str
    credentials: Credentials
    connect_timeout: float
    read_timeout: float
    sources: dict[str, str] = field(default_factory=dict)  # value name → "env"/"keyring"/...


def _pick(
    env: Mapping[str, str], name: str, fallback: str, sources: dict[str, str], key: str, origin: str
) -> str:
    value = env.get(name, "").strip()
    if value:
        sources[key] = f"env {name}"
        return value
    if fallback:
        sources[key] = origin
    return fallback


def resolve_credentials(
    settings: Settings, store: SecretStore, env: Mapping[str, str], sources: dict[str, str]
) -> Credentials:
    def secret(name: SecretName) -> str:
        return store.get(name) or ""

    values = {
        "iam_user": _pick(env, ENV_IAM_USER, settings.iam_user, sources, "iam_user", "settings"),
        "iam_password": _pick(env, ENV_IAM_PASSWORD, "", sources, "iam_password", ""),
        "iam_domain": _pick(
            env, ENV_IAM_DOMAIN, settings.iam_domain, sources, "iam_domain", "settings"
        ),
        "access_key": _pick(env, ENV_AK, "", sources, "access_key", ""),
        "secret_key": _pick(env, ENV_SK, "", sources, "secret_key", ""),
        "security_token": _pick(env, ENV_SECURITY_TOKEN, "", sources, "security_token", ""),
        "token": _pick(env, ENV_TOKEN, "", sources, "token", ""),
    }
    # A complete set of credentials in the environment decides the mode by itself.
    if values["access_key"] and values["secret_key"]:
        mode = AuthMode.AKSK
    elif values["token"]:
        mode = AuthMode.TOKEN
    elif values["iam_user"] and values["iam_password"] and env.get(ENV_IAM_USER):
        mode = AuthMode.IAM
    else:
        mode = settings.auth_mode
    # Fill what the environment did not give from the keyring, for that mode only.
    keyring_names = {
        AuthMode.IAM: [("iam_password", SecretName.IAM_PASSWORD)],
        AuthMode.AKSK: [
            ("access_key", SecretName.ACCESS_KEY),
            ("secret_key", SecretName.SECRET_KEY),
            ("security_token", SecretName.SECURITY_TOKEN),
        ],
        AuthMode.TOKEN: [("token", SecretName.TOKEN)],
        AuthMode.NONE: [],
    }
    for key, name in keyring_names[mode]:
        if not values[key]:
            values[key] = secret(name)
            if values[key]:
                sources[key] = "keyring"
    if mode is AuthMode.IAM and values["iam_user"] and not values["iam_domain"]:
        values["iam_domain"] = values["iam_user"]  # the account's own user: domain = user
    return Credentials(mode=mode, **values)


def resolve(
    settings: Settings,
    store: SecretStore,
    env: Mapping[str, str] | None = None,
    engine_override: str | None = None,
) -> EngineConfig:
    """The effective engine configuration. ``engine_override`` is the CLI's ``--engine``:
    ``local``, ``huawei`` or a server URL. Raises ConfigError when the chosen engine lacks what
    it needs (naming what is missing); the offline engine needs nothing."""
    env = os.environ if env is None else env
    sources: dict[str, str] = {}
    region = _pick(env, ENV_REGION, settings.region, sources, "region", "settings")
    endpoint = _pick(env, ENV_ENDPOINT, settings.endpoint, sources, "endpoint", "settings")
    project_id = _pick(env, ENV_PROJECT_ID, settings.project_id, sources, "project_id", "settings")
    iam_endpoint = _pick(
        env, ENV_IAM_ENDPOINT, settings.iam_endpoint, sources, "iam_endpoint", "settings"
    )
    credentials = resolve_credentials(settings, store, env, sources)

    engine = settings.engine
    if engine_override:
        lowered = engine_override.strip().lower()
        if lowered in ("local", "huawei"):
            engine = EngineChoice(lowered)
        elif lowered.startswith(("http://", "https://")):
            engine, endpoint = EngineChoice.SERVER, engine_override.strip()
            sources["endpoint"] = "--engine"
        else:
            raise ConfigError(
                "DLSCAN.CONFIG",
                f"--engine {engine_override!r}: use local, huawei or a server URL (http[s]://…)",
            )
    if engine is EngineChoice.AUTO:
        if credentials.mode is not AuthMode.NONE and credentials.complete and project_id:
            engine = EngineChoice.HUAWEI
        elif endpoint and not project_id:
            engine = EngineChoice.SERVER
        else:
            engine = EngineChoice.LOCAL

    if engine is EngineChoice.SERVER:
        if not endpoint:
            raise ConfigError("DLSCAN.CONFIG", f"server URL missing ({ENV_ENDPOINT})")
        if not credentials.complete or credentials.mode in (AuthMode.IAM, AuthMode.AKSK):
            # A dlscan server takes a token or nothing.
            mode = AuthMode.TOKEN if credentials.token else AuthMode.NONE
            credentials = Credentials(mode=mode, token=credentials.token)
        project_id = project_id or DEFAULT_SERVER_PROJECT
    elif engine is EngineChoice.HUAWEI:
        missing = ([] if project_id else [ENV_PROJECT_ID]) + credentials.missing()
        if credentials.mode is AuthMode.NONE:
            missing.append("credentials (IAM, AK/SK or token)")
        if missing:
            raise ConfigError("DLSCAN.CONFIG", "Huawei Cloud needs: " + ", ".join(missing))

    return EngineConfig(
        engine=engine,
        region=region,
        endpoint=endpoint,
        project_id=project_id,
        iam_endpoint=iam_endpoint,
        credentials=credentials,
        connect_timeout=settings.connect_timeout,
        read_timeout=settings.read_timeout,
        sources=sources,
    )
