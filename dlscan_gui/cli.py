"""dlscan-cli: recognize and pre-check licence images, manage credentials — without the GUI.

Every failure is one clear line on stderr (Chinese, then English, then the code), never a
traceback; one bad file never stops the others. Exit status: 0 all good, 1 some file failed,
2 bad usage or configuration.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from dlscan_gui import __version__
from dlscan_gui.core import logsafe
from dlscan_gui.core.engine_config import resolve
from dlscan_gui.core.errors import DlscanError, ImageError
from dlscan_gui.core.export import FileOutcome, csv_text, to_json_text, to_jsonl_line
from dlscan_gui.core.findings import Finding
from dlscan_gui.core.schema import RecognitionResult, Side
from dlscan_gui.core.secrets import SecretStore
from dlscan_gui.core.settings import load_settings
from dlscan_gui.engines.base import ImageUrl, Recognizer

if TYPE_CHECKING:
    from dlscan_gui.core.imaging import LoadedImage
    from dlscan_gui.core.precheck import PrecheckReport

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
PROG = "dlscan-cli"
SERVER_TOKEN_ENV = "DLSCAN_SERVER_TOKEN"


def _console_streams() -> None:
    """Chinese must print on any console (Windows code pages too); a windowed build may have
    no streams at all."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(encoding="utf-8", errors="replace")
            except (ValueError, OSError):
                pass


def say_error(where: str, error: DlscanError, err: TextIO | None = None) -> None:
    stream = err or sys.stderr
    prefix = f"{PROG}: {where}: " if where else f"{PROG}: "
    print(prefix + error.one_line(), file=stream)


def _is_url(argument: str) -> bool:
    return argument.lower().startswith(("http://", "https://"))


# --------------------------------------------------------------------------- recognize
def _recognize_one(recognizer: Recognizer, argument: str, args: argparse.Namespace) -> FileOutcome:
    from dlscan_gui.core.imaging import load_image
    from dlscan_gui.core.precheck import precheck

    options = {
        "side": Side(args.side),
        "return_issuing_authority": args.issuing_authority,
        "return_text_location": args.text_location,
    }
    try:
        if _is_url(argument):
            return FileOutcome(argument, recognizer.recognize(ImageUrl(argument), **options))
        image = load_image(argument)
        report = precheck(image)
        for warning in report.warnings:
            if not args.quiet:
                print(
                    f"{PROG}: {argument}: 提示/warning: {warning.zh} / {warning.en}",
                    file=sys.stderr,
                )
        if report.upload is None:
            first = report.errors[0]
            raise ImageError(
                "DLSCAN.IMAGE_TOO_SMALL" if first.code == "image.too_small" else "AIS.0103",
                f"{first.zh} / {first.en}",
            )
        local = getattr(recognizer, "name", "") == "local"
        # The offline engine reads the full-resolution original; a server gets the fitted upload.
        result = recognizer.recognize(image if local else report.upload.image, **options)
        if not local and report.upload.scale != 1.0:
            result.scale_locations(1.0 / report.upload.scale)  # quads on the file as given
        if not args.quiet:
            _say_engine_warnings(argument, result)
        return FileOutcome(argument, result)
    except DlscanError as error:
        say_error(argument, error)
        return FileOutcome(argument, error=error)


def _say_engine_warnings(argument: str, result: RecognitionResult) -> None:
    """The engine's doubts about single fields (e.g. glare over one), on stderr like the
    pre-check's; they stay in the JSON's ``warnings`` too."""
    for _side, page in result.pages():
        for entry in page.extras.get("warnings") or []:
            warning = Finding.from_json(entry)
            if warning is not None:
                print(f"{PROG}: {argument}: 提示/warning: {warning.zh} / {warning.en}",
                      file=sys.stderr)


def cmd_recognize(args: argparse.Namespace) -> int:
    store = SecretStore()
    try:
        config = resolve(load_settings(), store, engine_override=args.engine)
        from dlscan_gui.engines.factory import create_recognizer

        recognizer = create_recognizer(config)  # once: one model load / session for all files
    except DlscanError as error:
        say_error("", error)
        return EXIT_USAGE

    outcomes: list[FileOutcome] = []
    total = len(args.files)
    for index, argument in enumerate(args.files, 1):
        if total > 1 and not args.quiet and sys.stderr.isatty():
            print(f"[{index}/{total}] {argument}", file=sys.stderr)
        outcome = _recognize_one(recognizer, argument, args)
        outcomes.append(outcome)
        if args.format == "jsonl":  # stream: a long batch shows results as they come
            print(to_jsonl_line(outcome), flush=True)
    if args.format == "json":
        print(to_json_text(outcomes))
    elif args.format == "csv":
        sys.stdout.write(csv_text(outcomes))
    return EXIT_OK if all(o.ok for o in outcomes) else EXIT_FAILED


# --------------------------------------------------------------------------- check
def cmd_check(args: argparse.Namespace) -> int:
    from dlscan_gui.core.imaging import load_image
    from dlscan_gui.core.precheck import precheck

    failed = False
    reports = []
    for argument in args.files:
        try:
            image = load_image(argument)
            report = precheck(image)
        except DlscanError as error:
            say_error(argument, error)
            reports.append({"file": argument, **error.to_huawei_json()})
            failed = True
            continue
        failed |= report.upload is None
        entry = _report_json(argument, image, report)
        reports.append(entry)
        if args.format == "text":
            _print_report(entry)
    if args.format == "json":
        print(
            json.dumps(reports if len(reports) != 1 else reports[0], ensure_ascii=False, indent=2)
        )
    return EXIT_FAILED if failed else EXIT_OK


def _report_json(argument: str, image: LoadedImage, report: PrecheckReport) -> dict[str, object]:
    metrics = report.metrics
    entry: dict[str, object] = {
        "file": argument,
        "format": image.format,
        "width": image.width,
        "height": image.height,
        "bytes": len(image.data),
        "can_send": report.upload is not None,
        "metrics": {k: v for k, v in vars(metrics).items() if not k.startswith("_")},
        "errors": [f.to_json() for f in report.errors],
        "warnings": [f.to_json() for f in report.warnings],
    }
    if report.upload is not None:
        up = report.upload
        entry["upload"] = {
            "bytes": up.upload_bytes,
            "base64_bytes": up.base64_bytes,
            "width": up.image.width,
            "height": up.image.height,
            "scale": round(up.scale, 4),
            "reencoded": up.reencoded,
        }
    return entry


def _print_report(entry: dict[str, object]) -> None:
    status = "可以发送 / can send" if entry["can_send"] else "不能发送 / cannot send"
    print(
        f"{entry['file']}: {entry['format']} {entry['width']}×{entry['height']}, "
        f"{entry['bytes']} bytes — {status}"
    )
    upload = entry.get("upload")
    if isinstance(upload, dict):
        how = "re-encoded" if upload["reencoded"] else "sent as is"
        print(f"  upload: {upload['width']}×{upload['height']}, {upload['bytes']} bytes ({how})")
    for kind in ("errors", "warnings"):
        findings = entry[kind]
        assert isinstance(findings, list)
        for finding in findings:
            label = "错误/error" if kind == "errors" else "提示/warning"
            print(f"  {label}: {finding['zh']} / {finding['en']}")


# --------------------------------------------------------------------------- serve
def cmd_serve(args: argparse.Namespace) -> int:
    import os

    from dlscan_gui.core.errors import EngineUnavailableError

    try:
        import waitress  # noqa: F401
    except ImportError:
        say_error("", EngineUnavailableError("DLSCAN.SERVER_UNAVAILABLE"))
        return EXIT_USAGE
    from dlscan_gui.engines.server.pool import local_pool
    from dlscan_gui.engines.server.serve import ServeConfig, run

    config = ServeConfig(
        host=args.host,
        port=args.port,
        # The environment keeps the token out of the process list that other users can read.
        token=args.token or os.environ.get(SERVER_TOKEN_ENV) or None,
        workers=args.workers,
        allow_url=args.allow_url,
    )
    logging.getLogger("dlscan.server").setLevel(logging.INFO)
    try:
        run(config, say=lambda text: print(text, file=sys.stderr, flush=True),
            make_pool=local_pool)
    except OSError as error:  # the port is taken, or the address is not ours
        say_error("", DlscanError("DLSCAN.SERVER_PORT", f"{args.host}:{args.port}: "
                                  f"{error.strerror or error}"))
        return EXIT_USAGE
    return EXIT_OK


# --------------------------------------------------------------------------- parser
def build_parser() -> argparse.ArgumentParser:
    from dlscan_gui.cli_credentials import add_credentials_parser

    parser = argparse.ArgumentParser(
        prog=PROG,
        description="识别与预检驾驶证图片 / Recognize and pre-check driving licence images.",
    )
    parser.add_argument("--version", action="version", version=f"dlscan {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress to stderr")
    sub = parser.add_subparsers(dest="command", required=True)

    rec = sub.add_parser("recognize", help="recognize licence images (or https URLs)")
    rec.add_argument("files", nargs="+", metavar="FILE", help="image files, or URLs (url mode)")
    rec.add_argument("--side", choices=[s.value for s in Side], default=Side.AUTO.value)
    rec.add_argument(
        "--engine",
        metavar="local|huawei|URL",
        help="override the configured engine (a URL = a Huawei-compatible server)",
    )
    rec.add_argument(
        "--issuing-authority",
        action="store_true",
        help="also return the issuing authority (发证机关)",
    )
    rec.add_argument(
        "--text-location", action="store_true", help="also return each field's quad (text_location)"
    )
    rec.add_argument("--format", choices=["json", "jsonl", "csv"], default="json")
    rec.add_argument("-q", "--quiet", action="store_true", help="no pre-check warnings")
    rec.set_defaults(handler=cmd_recognize)

    chk = sub.add_parser("check", help="pre-check images against the API limits and quality")
    chk.add_argument("files", nargs="+", metavar="FILE")
    chk.add_argument("--format", choices=["text", "json"], default="text")
    chk.set_defaults(handler=cmd_check)

    srv = sub.add_parser(
        "serve",
        help="serve the Huawei driver-license API over the offline engine (server extra)",
    )
    srv.add_argument("--host", default="127.0.0.1",
                     help="address to listen on (default 127.0.0.1: this PC only)")
    srv.add_argument("--port", type=int, default=8086)
    srv.add_argument("--token", help=f"X-Auth-Token clients must send (or {SERVER_TOKEN_ENV}); "
                     "required unless --host is a loopback address")
    srv.add_argument("--workers", type=int, default=1,
                     help="recognitions at once (each loads its own models: about 200 MB more)")
    srv.add_argument("--allow-url", action="store_true",
                     help="also fetch images by 'url' (http/https; never this PC or link-local)")
    srv.set_defaults(handler=cmd_serve)

    add_credentials_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    _console_streams()
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    logsafe.install()
    try:
        code: int = args.handler(args)
    except KeyboardInterrupt:
        print(f"{PROG}: 已取消 / cancelled", file=sys.stderr)
        return 130
    except DlscanError as error:
        say_error("", error)
        return EXIT_USAGE
    return code


if __name__ == "__main__":
    sys.exit(main())
