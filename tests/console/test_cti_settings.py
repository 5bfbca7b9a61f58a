"""The seat's link settings: a file that cannot be used is said in Chinese, and what is said
never repeats the switch's password."""

from __future__ import annotations

import os

import pytest

from console.cti import settings

GOOD = """
record_queue = true
[ami]
host = "10.20.0.5"
username = "seat017"
secret = "Pa55-word-x"
extension = "8017"
queues = ["12345"]
"""


def _write(tmp_path, text, mode=0o600):
    path = tmp_path / "cti.toml"
    path.write_text(text, encoding="utf-8")
    os.chmod(path, mode)
    return path


def test_a_good_file_links_the_seat_and_hides_the_secret(tmp_path):
    loaded = settings.load(_write(tmp_path, GOOD))
    assert loaded.configured and loaded.record_queue
    assert loaded.ami.port == 5038 and loaded.ami.queues == ("12345",)
    assert "Pa55-word-x" not in repr(loaded)


def test_no_file_means_no_switch(tmp_path):
    assert not settings.load(tmp_path / "absent.toml").configured


@pytest.mark.parametrize(
    ("text", "mode", "said"),
    [
        (GOOD, 0o644, "只能由本人读写"),
        ("[ami\nhost=", 0o600, "格式不对"),
        (GOOD.replace('secret = "Pa55-word-x"\n', ""), 0o600, "缺少 secret"),
        (GOOD.replace("[ami]", "[ami]\nport = 99999"), 0o600, "端口应为"),
        ('[http]\nlisten = "127.0.0.1:8790"\ntoken = "short"\nextension = "1"\n', 0o600, "至少 16"),
        (
            '[http]\nlisten = "8790"\ntoken = "0123456789abcdef"\nextension = "1"\n',
            0o600,
            "地址:端口",
        ),
    ],
)
def test_a_file_that_cannot_be_used_is_said_in_chinese(tmp_path, text, mode, said):
    with pytest.raises(settings.SettingsError) as refused:
        settings.load(_write(tmp_path, text, mode))
    assert said in str(refused.value)
    assert "Pa55-word-x" not in str(refused.value)
