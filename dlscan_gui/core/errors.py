"""One error hierarchy for dlscan, and the catalogue that turns every code into words a clerk
understands (Chinese first, English too).

Codes are either the Huawei API's own (``AIS.0103``, ``ModelArts.4204``, ``APIG.0308`` …) or
ours, prefixed ``DLSCAN.``, for what happens before a request is sent or when none arrives.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Message:
    zh: str
    en: str

    def both(self) -> str:
        return f"{self.zh} / {self.en}"


# What the clerk reads for each code. Keep messages short and say what to do next.
CATALOGUE: dict[str, Message] = {
    # Huawei OCR service codes
    "AIS.0101": Message(
        "请求参数不符合规范（例如同时或都未提供图片与URL）。",
        "The request parameters are invalid (for example both or neither of image and URL).",
    ),
    "AIS.0102": Message(
        "图片格式不支持，或图片数据不是有效的base64编码。",
        "The image format is not supported, or the image data is not valid base64.",
    ),
    "AIS.0103": Message(
        "图片尺寸不满足要求：最短边至少100像素，最长边不超过8000像素，编码后不超过10MB。",
        "The image size is out of range: shortest side >= 100 px, longest side <= 8000 px, "
        "at most 10 MB encoded.",
    ),
    "AIS.0104": Message(
        "图片不是驾驶证或图片质量太差，请重新拍摄清晰、完整的驾驶证。",
        "The image is not a driving licence or its quality is too poor; retake a sharp, "
        "complete photo.",
    ),
    "AIS.0105": Message(
        "识别服务计算失败，请稍后重试；如持续出现请联系华为云支持。",
        "The recognition service failed to compute a result; retry later or contact "
        "Huawei Cloud support.",
    ),
    # ModelArts platform codes
    "ModelArts.0203": Message(
        "访问令牌（Token）无效，请检查账号配置。",
        "The access token is invalid; check the account settings.",
    ),
    "ModelArts.0212": Message(
        "访问令牌不包含项目信息：获取Token时必须按项目（project）授权。",
        "The token has no project scope; request the token scoped to the project.",
    ),
    "ModelArts.4101": Message(
        "请求中缺少访问令牌（X-Auth-Token）。",
        "The request carries no access token (X-Auth-Token).",
    ),
    "ModelArts.4102": Message(
        "无法解析访问令牌，请重新获取Token。",
        "The access token could not be parsed; obtain a new token.",
    ),
    "ModelArts.4103": Message(
        "访问令牌不合法，请重新获取Token。",
        "The access token is not valid; obtain a new token.",
    ),
    "ModelArts.4104": Message(
        "请求体过大：图片base64编码后不能超过10MB。",
        "The request body is too large: the base64 image must be at most 10 MB.",
    ),
    "ModelArts.4105": Message(
        "请求体不是合法的JSON。",
        "The request body is not valid JSON.",
    ),
    "ModelArts.4204": Message(
        "该区域未开通驾驶证识别服务：请在华为云OCR控制台开通，且开通区域须与调用区域一致。",
        "The driving licence OCR service is not enabled in this region: enable it in the "
        "Huawei Cloud OCR console, in the same region you call.",
    ),
    "ModelArts.4603": Message(
        "无法从该URL下载图片，请检查地址与访问权限。",
        "The image could not be fetched from the URL; check the address and its permissions.",
    ),
    "ModelArts.4704": Message(
        "从URL获取图片失败（OBS授权或地址错误）。",
        "Fetching the image from the URL failed (OBS authorisation or a wrong address).",
    ),
    # API gateway codes
    "APIG.0101": Message(
        "接口不存在：请检查服务地址（endpoint）和项目ID。",
        "The API does not exist: check the endpoint and the project ID.",
    ),
    "APIG.0201": Message(
        "识别服务响应超时，请稍后重试，或减小图片。",
        "The recognition service timed out; retry later or send a smaller image.",
    ),
    "APIG.0301": Message(
        "身份认证失败：请检查AK/SK或Token是否正确、是否过期；使用AK/SK时还请检查本机时间（误差须在15分钟内）。",
        "Authentication failed: check that the AK/SK or token is correct and not expired; with "
        "AK/SK also check this PC's clock (it must be within 15 minutes).",
    ),
    "APIG.0307": Message(
        "访问令牌已过期，需要重新获取。",
        "The access token has expired and must be renewed.",
    ),
    "APIG.0308": Message(
        "请求过于频繁，已被限流，请稍后再试。",
        "Too many requests: the service is throttling; try again shortly.",
    ),
    # Ours: before sending, or when no answer arrives
    "DLSCAN.FILE_NOT_FOUND": Message("找不到文件。", "File not found."),
    "DLSCAN.NOT_A_FILE": Message(
        "这是一个文件夹，不是图片文件。", "This is a folder, not an image file."
    ),
    "DLSCAN.FILE_UNREADABLE": Message("无法读取文件。", "The file cannot be read."),
    "DLSCAN.IMAGE_EMPTY": Message("文件是空的（0字节）。", "The file is empty (0 bytes)."),
    "DLSCAN.IMAGE_FORMAT": Message(
        "不支持的文件格式：仅支持JPEG、PNG、BMP、TIFF图片。",
        "Unsupported file format: only JPEG, PNG, BMP and TIFF images are accepted.",
    ),
    "DLSCAN.IMAGE_CORRUPT": Message(
        "图片已损坏或不完整，无法解码。",
        "The image is damaged or incomplete and cannot be decoded.",
    ),
    "DLSCAN.IMAGE_TOO_LARGE": Message(
        "图片像素过多（超过1.2亿像素），为安全起见拒绝打开。",
        "The image has too many pixels (over 120 megapixels) and is refused for safety.",
    ),
    "DLSCAN.IMAGE_TOO_SMALL": Message(
        "图片太小：最短边至少需要100像素。",
        "The image is too small: its shortest side must be at least 100 px.",
    ),
    "DLSCAN.CONFIG": Message("配置不完整或有误。", "The configuration is incomplete or wrong."),
    "DLSCAN.INSECURE_URL": Message(
        "拒绝用未加密的http发送证件数据：公网地址必须使用https（仅本机或内网地址可用http）。",
        "Refusing to send ID data over plain http: public addresses must use https "
        "(http is allowed only for loopback or private addresses).",
    ),
    "DLSCAN.ENGINE_UNAVAILABLE": Message(
        "离线识别引擎不可用（安装不完整），请重新安装dlscan，或配置华为云账号或识别服务器地址。",
        "The offline recognition engine is not available (incomplete installation); reinstall "
        "dlscan, or configure a Huawei Cloud account or a recognition server URL.",
    ),
    "DLSCAN.NETWORK": Message(
        "无法连接识别服务，请检查网络或代理设置。",
        "Cannot reach the recognition service; check the network or proxy settings.",
    ),
    "DLSCAN.TLS": Message(
        "安全连接（TLS证书）校验失败，请检查系统时间与网络代理。",
        "The secure connection (TLS certificate) could not be verified; check the clock and "
        "the network proxy.",
    ),
    "DLSCAN.TIMEOUT": Message(
        "识别服务在规定时间内没有响应，请稍后重试。",
        "The recognition service did not answer in time; retry later.",
    ),
    "DLSCAN.BAD_RESPONSE": Message(
        "识别服务返回了无法理解的内容。",
        "The recognition service returned a response that cannot be understood.",
    ),
    "DLSCAN.SERVER_ERROR": Message(
        "识别服务内部错误，请稍后重试。",
        "The recognition service had an internal error; retry later.",
    ),
    "DLSCAN.AUTH": Message(
        "登录华为云失败：请检查用户名、密码、账号名与区域。",
        "Signing in to Huawei Cloud failed: check the user name, password, account and region.",
    ),
    "DLSCAN.AUTH_REJECTED": Message(
        "识别服务拒绝了凭据：请检查访问令牌或AK/SK是否正确、是否过期。",
        "The recognition service rejected the credentials: check that the token or AK/SK is "
        "correct and not expired.",
    ),
    "DLSCAN.IAM_FORBIDDEN": Message(
        "华为云拒绝签发访问令牌：用户可能被禁用、需要多因素认证、受访问控制限制或无该项目权限。",
        "Huawei Cloud refused to issue a token: the user may be disabled, need multi-factor "
        "authentication, be blocked by access control, or lack rights on the project.",
    ),
    "DLSCAN.IAM_ERROR": Message(
        "华为云身份认证服务（IAM）暂时不可用或返回了无法理解的内容，请稍后重试。",
        "The Huawei Cloud identity service (IAM) is unavailable or gave an unexpected answer; "
        "retry later.",
    ),
    "DLSCAN.SERVER_TOKEN": Message(
        "识别服务器对网络开放时必须设置访问令牌（至少16个字符）；仅监听本机（127.0.0.1）时可不设。",
        "A recognition server open to the network needs an access token (at least 16 "
        "characters); only a server listening on this PC alone (127.0.0.1) may run without.",
    ),
    "DLSCAN.SERVER_UNAVAILABLE": Message(
        "识别服务器组件（waitress）未安装：请安装dlscan的server附加组件（pip install waitress）。",
        "The recognition server's component (waitress) is not installed: install dlscan's "
        "server extra (pip install waitress).",
    ),
    "DLSCAN.SERVER_PORT": Message(
        "无法在该地址和端口上监听：端口可能已被占用，或地址不属于本机。",
        "Cannot listen on that address and port: the port may be in use, or the address is "
        "not this PC's.",
    ),
    "DLSCAN.HTTP": Message("识别服务返回错误。", "The recognition service returned an error."),
    "DLSCAN.KEYRING_INSECURE": Message(
        "系统没有安全的密码存储（钥匙串），为防止明文保存，未保存密钥。",
        "No secure password store (keyring) is available; the secret was not saved, to avoid "
        "keeping it in plain text.",
    ),
    "DLSCAN.KEYRING_ERROR": Message(
        "访问系统密码存储（钥匙串）失败。",
        "Accessing the system password store (keyring) failed.",
    ),
}

UNKNOWN = Message("未知错误。", "Unknown error.")


def describe(code: str) -> Message:
    """The clerk-readable message for a code; unknown codes fall back to a generic one."""
    return CATALOGUE.get(code, UNKNOWN)


class DlscanError(Exception):
    """Base of every error dlscan reports to a person. ``detail`` adds specifics (a file name,
    what the server said) in plain text; it must never carry a secret or an ID number."""

    default_code = "DLSCAN.HTTP"

    def __init__(self, code: str | None = None, detail: str = "", *, http_status: int = 0) -> None:
        self.code = code or self.default_code
        self.detail = detail
        self.http_status = http_status
        super().__init__(self.one_line())

    @property
    def message(self) -> Message:
        return describe(self.code)

    @property
    def message_zh(self) -> str:
        return self.message.zh

    @property
    def message_en(self) -> str:
        return self.message.en

    def one_line(self) -> str:
        text = self.message.both()
        if self.detail:
            text = f"{text} ({self.detail})"
        return f"{text} [{self.code}]"

    def to_huawei_json(self) -> dict[str, str]:
        """The API's error body: ``{"error_code": ..., "error_msg": ...}``."""
        msg = self.message.en if self.code in CATALOGUE else (self.detail or UNKNOWN.en)
        return {"error_code": self.code, "error_msg": msg}


class ImageError(DlscanError):
    """The input is not an image we can use (missing, empty, wrong format, corrupt, too big)."""

    default_code = "DLSCAN.IMAGE_CORRUPT"


class ConfigError(DlscanError):
    """Settings or credentials are missing or unsafe; nothing was sent."""

    default_code = "DLSCAN.CONFIG"


class SecretStoreError(DlscanError):
    """The OS keyring is missing, insecure or failing."""

    default_code = "DLSCAN.KEYRING_ERROR"


class RecognitionError(DlscanError):
    """Recognition did not produce a result. Subclasses say why."""

    default_code = "AIS.0105"


class ApiError(RecognitionError):
    """The service answered with an error body (``error_code``/``error_msg``)."""


class AuthError(RecognitionError):
    """Credentials were rejected or a token could not be obtained."""

    default_code = "DLSCAN.AUTH"


class NetworkError(RecognitionError):
    """No answer: connection refused, DNS, TLS, timeout."""

    default_code = "DLSCAN.NETWORK"


class EngineUnavailableError(RecognitionError):
    """The requested engine is not installed or not configured."""

    default_code = "DLSCAN.ENGINE_UNAVAILABLE"
