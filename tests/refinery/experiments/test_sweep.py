"""Sweeps: axes from --sweep and `sweep:`, validation naming the key, variants that rerun alone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from refinery.cli import main
from refinery.errors import ConfigError
from refinery.experiments.sweep import parse_sweep_option, plan_sweep

ROOT = Path(__file__).resolve().parents[3]
TINY = str(ROOT / "configs/tiny.yaml")
DATA = "sources.0.path=" + str(ROOT / "tests/data/tiny.jsonl")


def _sets(out: Path) -> list[str]:
    return [DATA, f"run.output={out}", "runtime=local"]


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("stages.1.min_chars=10,40", [10, 40]),
        ("stages.0.to_simplified=true,false", [True, False]),
        ("run.seed=1, 2 ,3", [1, 2, 3]),
        ("stages.1.name=a,'b,c'", ["a", "b,c"]),
        ("x.languages=[en],[en, zh]", [["en"], ["en", "zh"]]),
    ],
)
def test_values_are_a_yaml_list(text: str, values: list[object]) -> None:
    assert parse_sweep_option(text)[1] == values


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("stages.1.min_chars", "--sweep expects KEY=V1,V2"),
        ("stages.1.min_chars=", "--sweep stages.1.min_chars: needs a non-empty list"),
        ("stages.1.min_chars=5,5", "--sweep stages.1.min_chars: repeats the value(s) 5"),
        ("run.output=a,b", "--sweep run.output: cannot be swept"),
        ("run.name=a,b", "--sweep run.name: cannot be swept"),
        ("stages.1.min_chars=[1,", "--sweep stages.1.min_chars: cannot read the values"),
    ],
)
def test_bad_sweep_options_name_the_key(text: str, message: str) -> None:
    with pytest.raises(ConfigError) as err:
        parse_sweep_option(text)
    assert message in str(err.value)


def test_several_axes_give_the_cross_product_last_fastest(tmp_path: Path) -> None:
    plan = plan_sweep(
        TINY, _sets(tmp_path / "sw"), ["stages.1.min_chars=10,40", "stages.1.min_words=2,5"]
    )
    assert [v.dir for v in plan.variants] == [
        "00-min_chars=10,min_words=2",
        "01-min_chars=10,min_words=5",
        "02-min_chars=40,min_words=2",
        "03-min_chars=40,min_words=5",
    ]
    v = plan.variants[2]
    assert (v.cfg.stages[1].config.min_chars, v.cfg.stages[1].config.min_words) == (40, 2)
    assert v.cfg.output_dir == str(tmp_path / "sw" / v.dir)
    assert v.cfg.run.name == "tiny-02-min_chars=40,min_words=2"
    assert plan.sweep_dir == str(tmp_path / "sw")


def _config_with_sweep(tmp_path: Path, sweep: object) -> str:
    raw = yaml.safe_load(Path(TINY).read_text())
    raw["sweep"] = sweep
    path = tmp_path / "swept.yaml"
    path.write_text(yaml.safe_dump(raw))
    return str(path)


def test_a_sweep_section_and_the_command_line_combine(tmp_path: Path) -> None:
    config = _config_with_sweep(
        tmp_path, {"stages.1.min_chars": [10, 20, 30], "stages.1.min_words": [1, 2]}
    )
    plan = plan_sweep(config, _sets(tmp_path / "sw"), ["stages.1.min_chars=40"])
    assert plan.axes == {"stages.1.min_words": [1, 2], "stages.1.min_chars": [40]}
    assert len(plan.variants) == 2


@pytest.mark.parametrize(
    ("sweeps", "sweep", "message"),
    [
        (["stages.9.min_chars=1,2"], None, "'9' is not an index of a list of 2 items"),
        (["stages.1.min_charz=1,2"], None, "min_charz"),
        (["stages.1.min_chars=-1,5"], None, "stages.1(length_filter).min_chars"),
        ([], {"stages.1.min_chars": 5}, "sweep.stages.1.min_chars: needs a non-empty list"),
        ([], ["stages.1.min_chars"], "sweep: a mapping of dotted keys"),
        ([], {}, "nothing to sweep"),
    ],
)
def test_bad_keys_and_values_fail_before_any_run_naming_the_key(
    tmp_path: Path, sweeps: list[str], sweep: object, message: str
) -> None:
    config = TINY if sweep is None else _config_with_sweep(tmp_path, sweep)
    with pytest.raises(ConfigError) as err:
        plan_sweep(config, _sets(tmp_path / "sw"), sweeps)
    assert message in str(err.value)
    assert not (tmp_path / "sw").exists()


def _shard_digests(run: Path) -> dict[str, str]:
    manifest = json.loads((run / "manifest.json").read_text())
    return {f["path"]: f["sha256"] for f in manifest["files"] if f["path"].startswith("shards/")}


def test_a_sweep_runs_every_variant_indexes_and_compares_them(runner, tmp_path: Path) -> None:
    out = tmp_path / "sw"
    args = [
        "run",
        TINY,
        "-q",
        "--set",
        DATA,
        "-o",
        str(out),
        "--runtime",
        "local",
        "--sweep",
        "stages.1.min_chars=10,40",
    ]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    index = json.loads((out / "sweep.json").read_text())
    assert index["axes"] == {"stages.1.min_chars": [10, 40]}
    assert [(v["dir"], v["status"], v["docs_out"]) for v in index["variants"]] == [
        ("00-min_chars=10", "ok", 4),
        ("01-min_chars=40", "ok", 1),
    ]
    assert "| stage | 00-min_chars=10 | 01-min_chars=40 |" in (out / "comparison.md").read_text()
    assert (out / "comparison.html").exists() and (out / "01-min_chars=40" / "report.html").exists()
    # a variant's config.yaml reruns it alone, to the same shards as a plain --set run
    variant = out / "01-min_chars=40"
    saved = yaml.safe_load((variant / "config.yaml").read_text())
    assert "sweep" not in saved and saved["stages"][1]["min_chars"] == 40
    plain = tmp_path / "plain"
    result = runner.invoke(
        main,
        [
            "run",
            TINY,
            "-q",
            "--set",
            DATA,
            "-o",
            str(plain),
            "--runtime",
            "local",
            "--set",
            "stages.1.min_chars=40",
        ],
    )
    assert result.exit_code == 0, result.output
    assert _shard_digests(plain) == _shard_digests(variant) != {}
    # a second sweep into the same directory is refused unless --overwrite
    result = runner.invoke(main, args)
    assert result.exit_code == 1 and "holds an earlier sweep" in result.output
    result = runner.invoke(main, [*args, "--overwrite"])
    assert result.exit_code == 0, result.output
    # ... and a sweep into a plain run's directory, always
    result = runner.invoke(main, [*args[:6], str(plain), *args[7:], "--overwrite"])
    assert result.exit_code == 1 and "holds a run, not a sweep" in result.output


def test_a_failed_variant_is_recorded_and_the_others_still_run(
    runner, tmp_path: Path, monkeypatch
) -> None:
    import refinery.pipeline as pipeline
    from refinery.errors import AccountingError

    real = pipeline.run_pipeline

    def flaky(cfg, **kwargs):  # type: ignore[no-untyped-def]
        if cfg.stages[1].config.min_chars == 20:
            raise AccountingError("stage 'length_filter' lost 1 document")
        return real(cfg, **kwargs)

    monkeypatch.setattr(pipeline, "run_pipeline", flaky)
    out = tmp_path / "sw"
    config = _config_with_sweep(tmp_path, {"stages.1.min_chars": [10, 20, 40]})
    result = runner.invoke(
        main, ["run", config, "-q", "--set", DATA, "-o", str(out), "--runtime", "local"]
    )
    assert result.exit_code == 1
    assert "1 of 3 variant(s) failed" in result.output
    index = json.loads((out / "sweep.json").read_text())
    assert [v["status"] for v in index["variants"]] == ["ok", "failed", "ok"]
    assert "lost 1 document" in index["variants"][1]["error"]
    assert "01-min_chars=20" not in (out / "comparison.md").read_text()


def test_validate_checks_every_variant_of_a_sweep_section(runner, tmp_path: Path) -> None:
    config = _config_with_sweep(tmp_path, {"stages.1.min_chars": [10, 40]})
    result = runner.invoke(main, ["validate", config, "--set", DATA])
    assert result.exit_code == 0, result.output
    assert "sweep: 2 variant(s), each validated" in result.output
    config = _config_with_sweep(tmp_path, {"stages.1.min_chars": [10, -1]})
    result = runner.invoke(main, ["validate", config, "--set", DATA])
    assert result.exit_code == 2 and "stages.1(length_filter).min_chars" in result.output
