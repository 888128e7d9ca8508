"""`pipeline serve` over the IndicTrans2 route: gu→en by IndicTrans2, gu→zh through OPUS-MT."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def it2_models(models_file, tmp_path) -> Path:
    return models_file(tmp_path, "models-indictrans2.yaml")


def test_serve_answers_through_indictrans2_in_english_and_both_chinese_scripts(tmp_path, it2_models, start_server):
    server = start_server(["--models", it2_models], tmp_path)
    for target in ("en", "zh-Hans", "zh-Hant"):
        answer = server.post({"q": "ગુજરાત ભારતનું એક રાજ્ય છે.", "source": "gu", "target": target})
        assert answer.status_code == 200, answer.text
        text = answer.json()["translatedText"]
        assert text and "<unk>" not in text and "eng_Latn" not in text
    codes = {lang["code"] for lang in server.client.get("/languages").json()}
    assert {"en", "zh-Hans", "zh-Hant"} <= codes
    assert server.stop() == 0 and "Traceback" not in server.log
