from __future__ import annotations

import json
import subprocess
import sys

import cv2
import numpy as np
import pytest

from dlscan_gui.cli import main
from tests.fake_huawei import DEFAULT_BACK, DEFAULT_FRONT, Scripted


@pytest.fixture
def good_jpeg(tmp_path):
    """A synthetic, sendable image (the fake server does not read it)."""
    image = np.full((600, 880, 3), 235, np.uint8)
    cv2.rectangle(image, (40, 40), (840, 560), (60, 60, 200), 4)
    for row in range(6):
        cv2.putText(image, f"SYNTHETIC LINE {row}", (80, 120 + 70 * row),
                    cv2.FONT_HERSHEY_SIMPLEX, 1.2, (20, 20, 20), 2)
    path = tmp_path / "synthetic-licence.jpg"
    assert cv2.imwrite(str(path), image)
    return path


@pytest.fixture
def token_env(fake_huawei, monkeypatch):
    fake_huawei.static_tokens.add("pasted-token")
    monkeypatch.setenv("DLSCAN_TOKEN", "pasted-token")
    monkeypatch.setenv("DLSCAN_ENDPOINT", fake_huawei.url)
    monkeypatch.setenv("HUAWEICLOUD_SDK_PROJECT_ID", fake_huawei.project_id)
    return fake_huawei


def run(capsys, argv):
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_single_file_prints_exactly_the_api_body(token_env, good_jpeg, capsys):
    code, out, err = run(capsys, ["recognize", str(good_jpeg), "--side", "front",
                                  "--issuing-authority"])
    assert code == 0, err
    assert json.loads(out) == {"result": DEFAULT_FRONT}
    sent = token_env.ocr_requests[-1]
    assert sent.header("X-Auth-Token") == "pasted-token"
    assert sent.data["side"] == "front" and sent.data["return_issuing_authority"] is True


def test_back_page_and_text_location(token_env, good_jpeg, capsys):
    code, out, _ = run(capsys, ["recognize", str(good_jpeg), "--side", "back",
                                "--text-location"])
    assert code == 0
    result = json.loads(out)["result"]
    assert {k: result[k] for k in DEFAULT_BACK} == DEFAULT_BACK
    assert token_env.ocr_requests[-1].data["return_text_location"] is True


def test_aksk_from_the_sdk_environment_variables(fake_huawei, good_jpeg, capsys, monkeypatch):
    monkeypatch.setenv("HUAWEICLOUD_SDK_AK", "AKTEST0001")
    monkeypatch.setenv("HUAWEICLOUD_SDK_SK", "sk-secret-0001")
    monkeypatch.setenv("HUAWEICLOUD_SDK_PROJECT_ID", fake_huawei.project_id)
    monkeypatch.setenv("DLSCAN_ENDPOINT", fake_huawei.url)
    code, out, err = run(capsys, ["recognize", str(good_jpeg), "--side", "front"])
    assert code == 0, err
    assert json.loads(out)["result"]["number"] == DEFAULT_FRONT["number"]
    assert fake_huawei.ocr_requests[-1].header("Authorization").startswith("SDK-HMAC-SHA256")


def test_iam_password_from_environment(fake_huawei, good_jpeg, capsys, monkeypatch):
    monkeypatch.setenv("DLSCAN_IAM_USER", "clerk")
    monkeypatch.setenv("DLSCAN_IAM_PASSWORD", "correct horse")
    monkeypatch.setenv("DLSCAN_IAM_DOMAIN", "acme")
    monkeypatch.setenv("HUAWEICLOUD_SDK_PROJECT_ID", fake_huawei.project_id)
    monkeypatch.setenv("HUAWEICLOUD_SDK_IAM_ENDPOINT", fake_huawei.url)
    monkeypatch.setenv("DLSCAN_ENDPOINT", fake_huawei.url)
    code, out, err = run(capsys, ["recognize", str(good_jpeg), str(good_jpeg), "--format",
                                  "jsonl", "--side", "front"])
    assert code == 0, err
    assert len(out.splitlines()) == 2
    assert len(fake_huawei.iam_requests) == 1  # one token for the whole batch


def test_every_bad_input_is_one_line_and_the_good_file_still_goes(
        token_env, good_jpeg, bad_inputs, capsys):
    names = ["missing", "directory", "pdf", "empty", "huge_png", "corrupt_jpeg"]
    files = [str(bad_inputs[n]) for n in names]
    code, out, err = run(capsys, ["recognize", files[0], str(good_jpeg), *files[1:],
                                  "--format", "jsonl", "--side", "front"])
    assert code == 1
    lines = [json.loads(line) for line in out.splitlines()]
    assert [line["file"] for line in lines] == [files[0], str(good_jpeg), *files[1:]]
    assert lines[1]["result"]["number"] == DEFAULT_FRONT["number"]
    codes = {line["file"]: line.get("error_code") for line in lines}
    assert codes[str(bad_inputs["missing"])] == "DLSCAN.FILE_NOT_FOUND"
    assert codes[str(bad_inputs["directory"])] == "DLSCAN.NOT_A_FILE"
    assert codes[str(bad_inputs["pdf"])] == "DLSCAN.IMAGE_FORMAT"
    assert codes[str(bad_inputs["empty"])] == "DLSCAN.IMAGE_EMPTY"
    assert codes[str(bad_inputs["huge_png"])] == "DLSCAN.IMAGE_TOO_LARGE"
    assert codes[str(bad_inputs["corrupt_jpeg"])] == "DLSCAN.IMAGE_CORRUPT"
    error_lines = [line for line in err.splitlines() if "[DLSCAN." in line]
    assert len(error_lines) == 6
    assert all(line.startswith("dlscan-cli: ") for line in error_lines)
    assert "Traceback" not in err
    assert len(token_env.ocr_requests) == 1  # nothing bad was sent


@pytest.mark.parametrize("code", ["ModelArts.4204", "AIS.0104", "APIG.0308"])
def test_service_errors_become_error_bodies(token_env, good_jpeg, capsys, code):
    token_env.script(*[Scripted.error(code, headers={"Retry-After": "0"})] * 3)
    exit_code, out, err = run(capsys, ["recognize", str(good_jpeg), "--side", "front"])
    assert exit_code == 1
    assert json.loads(out)["error_code"] == code
    assert f"[{code}]" in err


def test_service_not_enabled_message_is_clerk_readable(token_env, good_jpeg, capsys):
    token_env.script(Scripted.error("ModelArts.4204"))
    _, _, err = run(capsys, ["recognize", str(good_jpeg), "--side", "front"])
    assert "未开通" in err and "not enabled" in err


def test_csv_output(token_env, good_jpeg, capsys):
    code, out, _ = run(capsys, ["recognize", str(good_jpeg), "--side", "double_side",
                                "--format", "csv"])
    assert code == 0
    header, row = out.splitlines()
    assert header.startswith("file,side,number,name")
    assert "double_side" in row and DEFAULT_BACK["file_number"] in row


def test_url_mode(token_env, capsys):
    code, _, _ = run(capsys, ["recognize", "https://bucket.example/licence.jpg",
                                "--side", "back"])
    assert code == 0
    assert token_env.ocr_requests[-1].data["url"] == "https://bucket.example/licence.jpg"


def test_offline_engine_reads_the_bundled_sample(capsys):
    from dlscan_gui.paths import resources_dir

    samples = resources_dir() / "samples"
    truth = json.loads((samples / "synthetic-back.json").read_text(encoding="utf-8"))["truth"]
    code, out, err = run(capsys, ["recognize", str(samples / "synthetic-back.jpg"),
                                  "--engine", "local", "--format", "jsonl"])
    assert code == 0, err
    assert json.loads(out)["result"]["number"] == truth["number"]


def test_huawei_without_credentials_says_what_is_missing(good_jpeg, capsys):
    code, _, err = run(capsys, ["recognize", str(good_jpeg), "--engine", "huawei"])
    assert code == 2
    assert "HUAWEICLOUD_SDK_PROJECT_ID" in err and "Traceback" not in err


def test_plain_http_to_a_public_host_is_refused(good_jpeg, capsys):
    code, _, err = run(capsys, ["recognize", str(good_jpeg), "--engine",
                                "http://ocr.example.com"])
    assert code in (1, 2)
    assert "DLSCAN.INSECURE_URL" in err


def test_unreachable_server(good_jpeg, capsys):
    # Port 9 on loopback: nothing listens there.
    code, out, err = run(capsys, ["recognize", str(good_jpeg), "--engine",
                                  "http://127.0.0.1:9", "--side", "front"])
    assert code == 1
    assert json.loads(out)["error_code"] == "DLSCAN.NETWORK"
    assert "无法连接" in err


def test_real_process_exit_status_and_no_traceback(bad_inputs, tmp_path):
    env = {"PATH": "", "DLSCAN_CONFIG_DIR": str(tmp_path),
           "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
           "PYTHONIOENCODING": "utf-8"}
    done = subprocess.run(
        [sys.executable, "-m", "dlscan_gui.cli", "check", str(bad_inputs["pdf"]),
         str(bad_inputs["empty"])],
        capture_output=True, text=True, encoding="utf-8", env=env, timeout=120)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 2


def test_text_location_is_mapped_back_when_the_upload_was_downscaled(token_env, tmp_path,
                                                                      capsys):
    big = np.full((3000, 4000, 3), 200, np.uint8)
    cv2.putText(big, "SYNTHETIC", (400, 1500), cv2.FONT_HERSHEY_SIMPLEX, 12, (0, 0, 0), 20)
    path = tmp_path / "synthetic-12mp.jpg"
    assert cv2.imwrite(str(path), big, [cv2.IMWRITE_JPEG_QUALITY, 97])
    code, out, err = run(capsys, ["recognize", str(path), "--side", "front", "--text-location",
                                  "-q"])
    assert code == 0, err
    quad = json.loads(out)["result"]["text_location"]["number"]
    sent = token_env.ocr_requests[-1].data["image"]
    import base64

    upload = cv2.imdecode(np.frombuffer(base64.b64decode(sent), np.uint8), cv2.IMREAD_COLOR)
    scale = 4000 / upload.shape[1]
    assert scale > 1.5  # the upload really was downscaled
    assert quad[1][0] == pytest.approx(300.0 * scale, rel=0.01)  # the fake's quad, mapped back


def test_engine_warnings_are_said_on_stderr_and_kept_in_the_json(token_env, good_jpeg, capsys):
    from dlscan_gui.engines.local.glare import warning

    result = dict(DEFAULT_FRONT, warnings=[warning("address").to_json()])
    token_env.script(Scripted(json={"result": result}))
    code, out, err = run(capsys, ["recognize", str(good_jpeg), "--side", "front"])
    assert code == 0
    assert "住址处有反光" in err and "Glare over Address" in err
    assert json.loads(out)["result"]["warnings"][0]["field"] == "address"
    token_env.script(Scripted(json={"result": result}))
    _code, _out, quiet_err = run(capsys, ["recognize", str(good_jpeg), "--side", "front", "-q"])
    assert "反光" not in quiet_err
