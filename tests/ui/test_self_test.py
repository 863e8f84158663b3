"""``dlscan --self-test``: the real window reads the bundled sample offline and prints one line,
whatever the counter's settings, credentials or keyring say."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from dlscan_gui.core.settings import AuthMode, EngineChoice, Settings, save_settings
from dlscan_gui.paths import resources_dir
from dlscan_gui.self_test import english, judge, load_truth, shown

REPO = Path(__file__).resolve().parents[2]
OK_LINE = re.compile(r"dlscan self-test OK: window (\d+\.\d\d) s, first result (\d+\.\d\d) s, "
                     r"(\d+)/(\d+) fields \(synthetic-front\.jpg\)")
FAILED_LINE = re.compile(r"dlscan self-test FAILED: [\x20-\x7e]+")
SAMPLE = resources_dir() / "samples" / "synthetic-front.jpg"


# A keyring backend that leaves a file behind as soon as keyring instantiates it, written for
# the child process only (a subclass defined here would join this session's keyring choice).
TRIPWIRE = """
from pathlib import Path
from keyring.backend import KeyringBackend

class Tripwire(KeyringBackend):
    priority = 1

    def __init__(self):
        super().__init__()
        Path(__file__).with_name("keyring-used").write_text("keyring was used")

    def get_password(self, service, username):
        return None

    def set_password(self, service, username, password):
        raise RuntimeError("no secret may be written")

    def delete_password(self, service, username):
        raise RuntimeError("no secret may be deleted")
"""


def run_self_test(tmp_path, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}  # it sets its own
    (tmp_path / "tripwire_keyring.py").write_text(TRIPWIRE, encoding="utf-8")
    env.update(DLSCAN_LOG_DIR=str(tmp_path / "logs"),
               PYTHONPATH=os.pathsep.join([str(REPO), str(tmp_path)]),
               PYTHON_KEYRING_BACKEND="tripwire_keyring.Tripwire", **extra)
    return subprocess.run([sys.executable, *args], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=300)


def test_the_keyring_tripwire_trips(tmp_path):
    done = run_self_test(tmp_path, "-c", "import keyring; keyring.get_keyring()")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "keyring-used").exists()


def test_self_test_passes_offline_despite_cloud_settings(tmp_path):
    # A counter set up for the cloud: settings, credentials in the environment.
    config = tmp_path / "config"
    config.mkdir()
    save_settings(Settings(engine=EngineChoice.HUAWEI, auth_mode=AuthMode.AKSK,
                           project_id="p", endpoint="http://127.0.0.1:9"),
                  config / "settings.json")
    before = sorted(p.name for p in config.iterdir())
    saved = (config / "settings.json").read_bytes()
    done = run_self_test(tmp_path, "-m", "dlscan_gui", "--self-test",
                         DLSCAN_CONFIG_DIR=str(config), HUAWEICLOUD_SDK_AK="ak",
                         HUAWEICLOUD_SDK_SK="sk", DLSCAN_ENDPOINT="http://127.0.0.1:9")
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 1 and OK_LINE.fullmatch(lines[0]), done.stdout
    window_s, result_s, right, total = OK_LINE.fullmatch(lines[0]).groups()
    truth = json.loads(SAMPLE.with_suffix(".json").read_text(encoding="utf-8"))["truth"]
    assert 0 < float(window_s) <= float(result_s) and int(total) == len(truth)
    assert int(right) >= 8
    assert not (tmp_path / "keyring-used").exists()
    assert sorted(p.name for p in config.iterdir()) == before
    assert (config / "settings.json").read_bytes() == saved
    log = (tmp_path / "logs" / "dlscan.log").read_text(encoding="utf-8")
    assert lines[0] in log
    assert "140112198803086329" not in log  # the sample's ID number is never logged


def test_windowed_build_without_stdout_and_stderr_passes(tmp_path):
    # As under pythonw or a PyInstaller --windowed build on Windows.
    code = ("import sys; sys.stdout = sys.stderr = None; from dlscan_gui.app import main; "
            "sys.exit(main(['dlscan', '--self-test']))")
    done = run_self_test(tmp_path, "-c", code)
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    assert "dlscan self-test OK:" in (tmp_path / "logs" / "dlscan.log").read_text("utf-8")


def test_a_corrupt_sample_fails_with_one_english_line(tmp_path):
    corrupt = tmp_path / "corrupt.jpg"
    corrupt.write_bytes(b"\xff\xd8\xff\xe0" + b"\x00garbage" * 64)
    corrupt.with_suffix(".json").write_bytes(SAMPLE.with_suffix(".json").read_bytes())
    done = run_self_test(tmp_path, "-m", "dlscan_gui", "--self-test",
                         DLSCAN_SELF_TEST_SAMPLE=str(corrupt))
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert len(lines) == 1 and FAILED_LINE.fullmatch(lines[0]), done.stdout
    assert "corrupt.jpg" in lines[0]


def test_a_sample_without_ground_truth_fails(tmp_path):
    lonely = tmp_path / "lonely.jpg"
    lonely.write_bytes(SAMPLE.read_bytes())
    done = run_self_test(tmp_path, "-m", "dlscan_gui", "--self-test",
                         DLSCAN_SELF_TEST_SAMPLE=str(lonely))
    assert done.returncode == 1
    assert done.stdout.startswith("dlscan self-test FAILED: no ground truth for lonely.jpg")


def test_judging_the_fields():
    truth = {"number": "1", "name": "n", **{f"f{i}": str(i) for i in range(8)}}
    assert judge(dict(truth), truth) == (True, "10/10 fields")
    assert judge({**truth, "name": "x"}, truth) == (False, "name misread (9/10 fields right)")
    few = {k: v for k, v in truth.items() if k in ("number", "name", "f0")}
    assert judge(few, truth) == (False, "only 3/10 fields right (at least 8 expected)")


def test_a_double_side_sample_is_judged_page_by_page():
    truth = load_truth(resources_dir() / "samples" / "synthetic-double-side.jpg")
    assert truth["front.number"] == truth["back.number"] and "back.record" in truth
    front = {k.split(".", 1)[1]: v for k, v in truth.items() if k.startswith("front.")}
    back = {k.split(".", 1)[1]: v for k, v in truth.items() if k.startswith("back.")}
    assert judge(shown(front, back), truth) == (True, f"{len(truth)}/{len(truth)} fields")
    passed, said = judge(shown(front, {**back, "name": "?"}), truth)
    assert not passed and said.startswith("back.name misread")


def test_the_english_half_of_a_window_message():
    assert english("无法读取图片\nCannot read the image\n[AIS.0103] bad") == \
        "Cannot read the image [AIS.0103] bad"
    assert english("图片太暗 / The image is too dark") == "The image is too dark"
