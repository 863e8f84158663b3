"""``dlscan-cli credentials set|show|clear``.

Secrets are never taken from the command line (it shows up in process lists and shell history):
they are prompted for without echo, or read from standard input with ``--stdin``.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from typing import Any

from dlscan_gui.core.engine_config import ENV_VARS, resolve
from dlscan_gui.core.errors import DlscanError
from dlscan_gui.core.secrets import SecretName, SecretStore, mask
from dlscan_gui.core.settings import (
    AuthMode,
    EngineChoice,
    load_settings,
    replace,
    save_settings,
    settings_path,
)

# Which secrets each mode needs, with the prompt shown for each.
_SECRETS_FOR: dict[AuthMode, list[tuple[SecretName, str, bool]]] = {
    AuthMode.IAM: [(SecretName.IAM_PASSWORD, "IAM 密码 / IAM password", True)],
    AuthMode.AKSK: [
        (SecretName.SECRET_KEY, "SK (Secret Access Key)", True),
        (
            SecretName.SECURITY_TOKEN,
            "安全令牌（临时AK/SK，可留空）/ security token (temporary keys; may be empty)",
            False,
        ),
    ],
    AuthMode.TOKEN: [(SecretName.TOKEN, "X-Auth-Token", True)],
    AuthMode.NONE: [],
}


def add_credentials_parser(sub: Any) -> None:
    cred = sub.add_parser("credentials", help="store, show or clear the cloud credentials")
    csub = cred.add_subparsers(dest="action", required=True)

    set_ = csub.add_parser("set", help="save settings and secrets (secrets go to the OS keyring)")
    set_.add_argument("--auth", choices=[m.value for m in AuthMode], required=True)
    set_.add_argument("--engine", choices=[e.value for e in EngineChoice])
    set_.add_argument("--project-id")
    set_.add_argument("--region")
    set_.add_argument("--endpoint", help="OCR base URL (custom endpoint or a dlscan server)")
    set_.add_argument("--iam-endpoint")
    set_.add_argument("--user", help="IAM user name")
    set_.add_argument("--domain", help="account (domain) name; default: the user name")
    set_.add_argument("--ak", help="access key id (AK); the SK is prompted for")
    set_.add_argument(
        "--stdin",
        action="store_true",
        help="read the secret(s) from standard input, one per line, no prompt",
    )
    set_.set_defaults(handler=cmd_set)

    show = csub.add_parser("show", help="show the configuration, secrets masked")
    show.set_defaults(handler=cmd_show)

    clear = csub.add_parser("clear", help="delete the stored secrets from the keyring")
    clear.add_argument("--all", action="store_true", help="also reset the account settings")
    clear.set_defaults(handler=cmd_clear)


def _read_secret(prompt: str, from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline()
        return line.rstrip("\r\n")
    return getpass.getpass(f"{prompt}: ")


def cmd_set(args: argparse.Namespace) -> int:
    mode = AuthMode(args.auth)
    store = SecretStore()
    status = store.status()
    secrets: list[tuple[SecretName, str]] = []
    if mode is AuthMode.AKSK:
        if not args.ak:
            print("dlscan-cli: --ak 是必需的 / --ak is required with --auth aksk", file=sys.stderr)
            return 2
        secrets.append((SecretName.ACCESS_KEY, args.ak))
    if mode is AuthMode.IAM and not args.user:
        print("dlscan-cli: --user 是必需的 / --user is required with --auth iam", file=sys.stderr)
        return 2
    for name, prompt, required in _SECRETS_FOR[mode]:
        value = _read_secret(prompt, args.stdin)
        if required and not value:
            print(f"dlscan-cli: {prompt} 不能为空 / must not be empty", file=sys.stderr)
            return 2
        secrets.append((name, value))
    # Secrets first: if the keyring refuses, the settings are not half-changed either.
    if secrets and not status.secure:
        print(f"dlscan-cli: {status.message.zh} / {status.message.en}", file=sys.stderr)
        return 1
    for name, value in secrets:
        if value:
            store.set(name, value)
        else:
            store.delete(name)

    settings = load_settings()
    changes: dict[str, Any] = {"auth_mode": mode}
    for option, key in (
        ("project_id", "project_id"),
        ("region", "region"),
        ("endpoint", "endpoint"),
        ("iam_endpoint", "iam_endpoint"),
        ("user", "iam_user"),
        ("domain", "iam_domain"),
    ):
        value = getattr(args, option)
        if value is not None:
            changes[key] = value.strip()
    if args.engine:
        changes["engine"] = EngineChoice(args.engine)
    path = save_settings(replace(settings, **changes))
    print(f"已保存 / saved: {path}")
    if secrets:
        print(f"{status.message.zh} / {status.message.en}")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    settings = load_settings()
    store = SecretStore()
    status = store.status()
    print(f"设置文件 / settings file: {settings_path()}")
    for key in (
        "engine",
        "region",
        "endpoint",
        "project_id",
        "auth_mode",
        "iam_user",
        "iam_domain",
        "iam_endpoint",
    ):
        value = getattr(settings, key)
        print(f"  {key}: {value if value != '' else '—'}")
    mark = "安全 / secure" if status.secure else "不安全 / NOT secure"
    print(f"密码存储 / keyring: {status.name} ({mark})")
    if not status.secure:
        print(f"  {status.message.zh} / {status.message.en}")
    for name in SecretName:
        print(f"  {name}: {mask(store.get(name))}")
    overrides = [name for name in ENV_VARS if os.environ.get(name)]
    if overrides:
        print("环境变量覆盖 / environment overrides: " + ", ".join(overrides))
    try:
        config = resolve(settings, store)
        print(f"将使用的引擎 / engine in effect: {config.engine} (auth: {config.credentials.mode})")
    except DlscanError as error:
        print(f"将使用的引擎 / engine in effect: — ({error.one_line()})")
    return 0


def cmd_clear(args: argparse.Namespace) -> int:
    store = SecretStore()
    removed = store.clear()
    print(f"已删除 / deleted: {', '.join(map(str, removed)) if removed else '—'}")
    if args.all:
        settings = load_settings()
        save_settings(
            replace(
                settings,
                engine=EngineChoice.AUTO,
                project_id="",
                iam_user="",
                iam_domain="",
                endpoint="",
                iam_endpoint="",
                auth_mode=AuthMode.IAM,
            )
        )
        print("账号设置已重置 / account settings reset")
    return 0
