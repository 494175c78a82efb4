from __future__ import annotations

from pathlib import Path

import pytest

from refinery.config import load_config, load_raw_config, validate_config
from refinery.errors import ConfigError

BASE = {"sources": [{"name": "s", "path": "in.jsonl"}]}


def write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_minimal_config_gets_defaults():
    cfg = validate_config(BASE)
    assert cfg.sources[0].reader == "jsonl"
    assert cfg.sources[0].sensitivity == "internal"
    assert cfg.run.output == "runs/run"
    assert cfg.runtime == "ray"


@pytest.mark.parametrize(
    ("raw", "key", "fragment"),
    [
        ({**BASE, "outptu": {}}, "outptu", "unknown key"),
        (
            {"sources": [{"name": "s", "path": "a.jsonl", "txt_field": "x"}]},
            "sources.0.txt_field",
            "Allowed keys",
        ),
        ({**BASE, "output": {"shard_size_mb": "big"}}, "output.shard_size_mb", "number"),
        ({**BASE, "output": {"shard_size_mb": 0}}, "output.shard_size_mb", "greater than 0"),
        (
            {"sources": [{"name": "s", "path": "a.jsonl", "sensitivity": "secret"}]},
            "sources.0.sensitivity",
            "confidential",
        ),
        ({**BASE, "stages": [{"stage": "no_such_stage"}]}, "stages.0.stage", "Choose from"),
        ({**BASE, "stages": [{"min_chars": 3}]}, "stages.0", "missing `stage:`"),
        (
            {**BASE, "stages": [{"stage": "length_filter", "min_char": 3}]},
            "stages.0(length_filter).min_char",
            "unknown key",
        ),
        (
            {**BASE, "stages": [{"stage": "length_filter", "min_chars": -1}]},
            "stages.0(length_filter).min_chars",
            "greater than or equal",
        ),
        (
            {**BASE, "stages": [{"stage": "length_filter", "resources": {"num_gpus": 1}}]},
            "stages.0.resources",
            "batch_size",
        ),
        ({**BASE, "stages": [{"stage": "normalize"}, {"stage": "normalize"}]}, "stages", "unique"),
        ({"sources": []}, "sources", "at least one source"),
        ({"sources": [{"name": "s", "path": "data.bin"}]}, "sources.0.reader", "cannot infer"),
        (
            {"sources": [{"name": "s", "path": "a.x", "reader": "excel"}]},
            "sources.0.reader",
            "Choose from",
        ),
        ({"sources": [{"path": "a.jsonl"}]}, "sources.0.name", "required"),
        ({**BASE, "runtime": "spark"}, "runtime", "'ray' or 'local'"),
    ],
)
def test_config_errors_name_the_key(raw, key, fragment):
    with pytest.raises(ConfigError) as info:
        validate_config(raw)
    assert info.value.key == key, str(info.value)
    assert fragment in str(info.value)


def test_extends_merges_and_child_wins(tmp_path):
    write(
        tmp_path,
        "base.yaml",
        "run: {name: base, seed: 3}\nsources:\n  - {name: s, path: a.jsonl}\n",
    )
    child = write(tmp_path, "child.yaml", "extends: base.yaml\nrun: {name: child}\n")
    cfg = load_config(child)
    assert cfg.run.name == "child"
    assert cfg.run.seed == 3
    assert cfg.sources[0].name == "s"


def test_extends_cycle_is_an_error(tmp_path):
    write(tmp_path, "a.yaml", "extends: b.yaml\n")
    write(tmp_path, "b.yaml", "extends: a.yaml\n")
    with pytest.raises(ConfigError, match="cycle"):
        load_raw_config(tmp_path / "a.yaml")


def test_dotted_overrides_reach_lists_and_parse_values(tmp_path):
    p = write(
        tmp_path,
        "c.yaml",
        "sources:\n  - {name: s, path: a.jsonl}\nstages:\n  - {stage: normalize}\n  - {stage: length_filter, min_chars: 5}\n",
    )
    cfg = load_config(p, ["stages.1.min_chars=50", "run.name=x", "output.rejects.write=false"])
    assert cfg.stages[1].config.min_chars == 50
    assert cfg.run.name == "x"
    assert cfg.output.rejects.write is False


def test_override_bad_index_names_the_key(tmp_path):
    p = write(tmp_path, "c.yaml", "sources:\n  - {name: s, path: a.jsonl}\n")
    with pytest.raises(ConfigError) as info:
        load_config(p, ["sources.3.name=x"])
    assert info.value.key == "sources.3"


def test_env_interpolation_and_missing_variable():
    raw = {
        "sources": [{"name": "s", "path": "${DATA_DIR}/a.jsonl"}],
        "run": {"name": "${RUN:-dflt}"},
    }
    cfg = validate_config(raw, env={"DATA_DIR": "/data"})
    assert cfg.sources[0].path == "/data/a.jsonl"
    assert cfg.run.name == "dflt"
    with pytest.raises(ConfigError) as info:
        validate_config(raw, env={})
    assert info.value.key == "sources.0.path"
    assert "DATA_DIR" in str(info.value)


def test_resolved_config_keeps_env_references():
    from refinery.config import dump_resolved

    raw = {"sources": [{"name": "s", "path": "${SECRET_DIR}/a.jsonl"}]}
    cfg = validate_config(raw, env={"SECRET_DIR": "/very/secret"})
    dumped = dump_resolved(cfg)
    assert "${SECRET_DIR}" in dumped
    assert "/very/secret" not in dumped


def test_invalid_yaml_names_file_and_line(tmp_path):
    p = write(tmp_path, "bad.yaml", "sources:\n  - {name: s, path: [\n")
    with pytest.raises(ConfigError, match=r"bad\.yaml:\d+"):
        load_config(p)


def test_missing_config_file(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "nope.yaml")


def _laughs(levels: int) -> str:
    lines = ['l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, levels):
        lines.append(f"l{i}: &l{i} [" + ",".join([f"*l{i - 1}"] * 9) + "]")
    lines.append(f"sources: [{{name: s, path: *l{levels - 1}}}]")
    return "\n".join(lines) + "\n"


@pytest.mark.timeout(60)
@pytest.mark.parametrize("levels", [6, 9])
def test_billion_laughs_config_is_refused_at_once(tmp_path, levels):
    import time

    path = write(tmp_path, "laughs.yaml", _laughs(levels))  # 9^6 = 531,441 and 9^9 values
    start = time.perf_counter()
    with pytest.raises(ConfigError, match="expands to more than") as info:
        load_config(path)
    assert str(path) in str(info.value)
    assert time.perf_counter() - start < 2.0


def test_aliases_within_the_limit_still_load(tmp_path):
    text = "run: {name: &n exp, output: *n}\nsources: [{name: *n, path: in.jsonl}]\n"
    cfg = validate_config(load_raw_config(write(tmp_path, "ok.yaml", text)))
    assert (cfg.run.output, cfg.sources[0].name) == ("exp", "exp")


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("a: &a [*a]\nsources: []\n", "refers to a node that contains it"),
        ("a: " + "[" * 100 + "]" * 100 + "\n", "nest deeper than"),
        ("a: " + "[" * 5000 + "]" * 5000 + "\n", "nested too deeply"),
    ],
)
def test_self_referring_or_deep_yaml_is_refused(tmp_path, text, fragment):
    path = write(tmp_path, "bad.yaml", text)
    with pytest.raises(ConfigError, match=fragment) as info:
        load_raw_config(path)
    assert str(path) in str(info.value)


def test_an_override_cannot_smuggle_an_alias_bomb(tmp_path):
    path = write(tmp_path, "c.yaml", "sources: [{name: s, path: in.jsonl}]\n")
    bomb = "[" + ",".join(["&a [1,2,3,4,5,6,7,8,9]"] + ["*a"] * 8) + "]"
    assert load_raw_config(path, [f"run.seeds={bomb}"])["run"]["seeds"][8] == list(range(1, 10))
    levels = ["&a0 [1,2,3,4,5,6,7,8,9,10]"]
    levels += [f"&a{i} [" + ",".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 6)]
    with pytest.raises(ConfigError, match="--set run.x"):  # 10^6 values
        load_raw_config(path, ["run.x=[" + ",".join(levels) + "]"])


def test_a_repeated_stage_writes_its_columns_under_its_own_name():
    raw = {
        **BASE,
        "stages": [
            {"stage": "length_filter"},
            {"stage": "normalize"},
            {"stage": "normalize", "name": "normalize_again"},
            {"stage": "length_filter", "name": "length_filter_strict", "min_words": 50},
        ],
    }
    specs = {s.name: s for s in validate_config(raw).stages}
    assert specs["length_filter"].renames == {}
    assert specs["normalize_again"].renames == {}  # rewrites `text`, adds no column
    assert specs["length_filter_strict"].renames == {
        "length_filter_chars": "length_filter_strict_chars",
        "length_filter_words": "length_filter_strict_words",
    }
    assert specs["length_filter_strict"].build().writes() == [
        "length_filter_strict_chars",
        "length_filter_strict_words",
    ]


def test_a_repeated_global_stage_is_refused_naming_both_entries():
    raw = {
        **BASE,
        "stages": [{"stage": "exact_dedup"}, {"stage": "exact_dedup", "name": "dedup_again"}],
    }
    with pytest.raises(ConfigError, match="stages.1") as info:
        validate_config(raw)
    assert "'dedup_again'" in str(info.value) and "stages.0 ('exact_dedup')" in str(info.value)


def test_a_renamed_column_that_exists_already_is_refused():
    raw = {
        **BASE,
        "stages": [
            {"stage": "length_filter", "name": "lf_strict"},
            {"stage": "length_filter", "name": "length_filter"},
            {"stage": "length_filter", "name": "lf"},
        ],
    }
    # lf_strict writes length_filter_*; the 2nd instance renames to length_filter_* (taken)
    with pytest.raises(ConfigError, match="choose another `name:`"):
        validate_config(raw)
