"""The PII evaluation set's builders: a rebuild gives the committed splits byte for byte (the
splits whose values are declared as data, drawn by ``scripts/pii_eval_spec.py``), and a bad
spec or case file is an error that names the file and the entry."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from tests.stages.pii.cases import load_case_file

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def scripts() -> None:
    for package in ("faker", "schwifty", "jionlp", "phonenumbers", "stdnum", "zipcodes"):
        pytest.importorskip(package)
    sys.path.insert(0, str(ROOT / "scripts"))


@pytest.mark.parametrize(
    "split",
    [*(f"dev{k}" for k in range(7, 96)), "test"],
)
def test_rebuild_gives_the_committed_split(scripts: None, split: str) -> None:
    import build_pii_eval

    lines = [json.dumps(d, ensure_ascii=False) + "\n" for d in build_pii_eval.build(split, 16)]
    committed = (ROOT / "data" / "pii_eval" / f"{split}.jsonl").read_text(encoding="utf-8")
    assert "".join(lines) == committed


def test_a_spec_with_an_unknown_maker_names_the_file_and_the_slot(
    scripts: None, tmp_path: Path
) -> None:
    import pii_eval_spec

    spec = {"round": "r", "seed": 1, "faker_seed": 1, "fakers": [], "slots": {"CARD": [{}]}}
    (tmp_path / "bad.json").write_text(json.dumps(spec), encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.json: slots\.CARD\[0\]\.make"):
        pii_eval_spec.pools("bad", tmp_path)


def test_a_draw_without_a_key_its_maker_needs_names_the_file_the_slot_and_the_key(
    scripts: None, tmp_path: Path
) -> None:
    import pii_eval_spec

    draw = {"make": "us_zip_address", "faker": "en_US", "tag": "t", "count": 2}
    spec = {"round": "r", "seed": 1, "faker_seed": 1, "fakers": ["en_US"], "slots": {}}
    spec["slots"]["ADDR_EN"] = [draw]
    (tmp_path / "short.json").write_text(json.dumps(spec), encoding="utf-8")
    with pytest.raises(
        ValueError,
        match=r"short\.json: slots\.ADDR_EN\[0\] \(us_zip_address\) lacks the key 'secondary'",
    ):
        pii_eval_spec.pools("short", tmp_path)


def test_a_malformed_case_file_names_the_file_and_the_entry(tmp_path: Path) -> None:
    path = tmp_path / "cases.json"
    path.write_text(json.dumps({"finds": [{"class": "x", "cases": [["a", "b"]]}]}))
    with pytest.raises(ValueError, match=r"cases\.json: finds\[0\] is malformed \(KeyError\)"):
        load_case_file(path)
    path.write_text(json.dumps({"look_alikes": [{"class": "x"}]}))
    with pytest.raises(ValueError, match=r"cases\.json: look_alikes\[0\] is malformed"):
        load_case_file(path)


def test_a_us_address_ends_in_a_real_city_state_and_zip(scripts: None, tmp_path: Path) -> None:
    import pii_eval_spec
    import zipcodes

    draw = {"make": "us_zip_address", "faker": "en_US", "secondary": 0.5, "plus4": 0.5}
    spec = {"round": "r", "seed": 3, "faker_seed": 5, "fakers": ["en_US"], "slots": {}}
    spec["slots"]["ADDR_EN"] = [{**draw, "tag": "t", "count": 40, "check": "ADDR"}]
    (tmp_path / "us.json").write_text(json.dumps(spec), encoding="utf-8")
    values = [v for v, _ in pii_eval_spec.pools("us", tmp_path)["ADDR_EN"]]
    plus4 = 0
    for value in values:
        street, city, state_zip = value.rsplit(", ", 2)
        state, zip_code = state_zip.split(" ")
        plus4 += "-" in zip_code
        (entry,) = zipcodes.matching(zip_code.split("-")[0])
        assert (entry["city"].title(), entry["state"]) == (city, state)
        assert street.split(" ")[0].isdigit()
    assert 5 < plus4 < 35  # ZIP+4 about half of the time, as declared
