"""Build the Recognizer an EngineConfig asks for."""

from __future__ import annotations

from dlscan_gui.core.engine_config import EngineConfig
from dlscan_gui.core.errors import EngineUnavailableError
from dlscan_gui.core.settings import AuthMode, EngineChoice
from dlscan_gui.engines.base import Recognizer


def iam_endpoint_for(config: EngineConfig) -> str:
    return config.iam_endpoint or f"https://iam.{config.region}.myhuaweicloud.com"


def create_recognizer(config: EngineConfig) -> Recognizer:
    """Raises EngineUnavailableError for an engine that is not installed, ConfigError (from the
    client) for an unsafe or malformed endpoint."""
    if config.engine is EngineChoice.LOCAL:
        try:
            from dlscan_gui.engines.local.engine import LocalRecognizer
        except ImportError as exc:  # a broken install: say so, not a traceback
            raise EngineUnavailableError("DLSCAN.ENGINE_UNAVAILABLE", "--engine local") from exc
        return LocalRecognizer()

    from dlscan_gui.engines.huawei import HuaweiConfig, HuaweiRecognizer
    from dlscan_gui.engines.huawei_auth import (
        AkSkAuth,
        IamPasswordAuth,
        NoAuth,
        TokenAuth,
    )

    creds = config.credentials
    auth: NoAuth | TokenAuth | IamPasswordAuth | AkSkAuth
    if creds.mode is AuthMode.AKSK:
        auth = AkSkAuth(creds.access_key, creds.secret_key, creds.security_token or None)
    elif creds.mode is AuthMode.IAM:
        auth = IamPasswordAuth(
            user=creds.iam_user,
            password=creds.iam_password,
            domain=creds.iam_domain,
            project_id=config.project_id,
            iam_endpoint=iam_endpoint_for(config),
        )
    elif creds.mode is AuthMode.TOKEN:
        auth = TokenAuth(creds.token)
    else:
        auth = NoAuth()
    huawei_config = HuaweiConfig(
        project_id=config.project_id,
        region=config.region,
        endpoint=config.endpoint or None,
        connect_timeout=config.connect_timeout,
        read_timeout=config.read_timeout,
    )
    return HuaweiRecognizer(huawei_config, auth)
