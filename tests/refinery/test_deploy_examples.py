"""The deployment examples in configs/deploy parse, and the refinery config each one runs
validates (keys, stages, input paths, governance), from the repository root as the job's
working directory."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import yaml

from refinery.config import load_config
from refinery.pipeline import build_plan

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "configs" / "deploy"
KUBE = {"RayJob": "ray.io/v1", "RayCluster": "ray.io/v1", "CronJob": "batch/v1"}


def _manifests() -> list[tuple[Path, dict]]:
    out = []
    for path in sorted(DEPLOY.glob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")):
            if isinstance(doc, dict) and "kind" in doc:
                out.append((path, doc))
    return out


def _commands(doc: dict) -> list[list[str]]:
    """Every `refinery run|submit ...` command line a manifest holds."""
    found = []

    def walk(node):
        if isinstance(node, dict):
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            if node and node[0] == "refinery":
                found.append([str(x) for x in node])
            else:
                for v in node:
                    walk(v)
        elif isinstance(node, str) and re.match(r"\s*refinery\s+(run|submit)\b", node):
            found.append(shlex.split(node))

    walk(doc)
    return found


def test_every_kind_of_deployment_is_there():
    kinds = {doc["kind"] for _, doc in _manifests()}
    assert kinds == set(KUBE)


@pytest.mark.parametrize(
    ("path", "doc"), _manifests(), ids=lambda v: v.name if isinstance(v, Path) else ""
)
def test_manifest_is_well_formed_and_its_config_validates(path, doc, monkeypatch):
    assert doc["apiVersion"] == KUBE[doc["kind"]]
    assert doc["metadata"]["name"]
    if doc["kind"] in ("RayJob", "RayCluster"):
        cluster = doc["spec"]["rayClusterSpec"] if doc["kind"] == "RayJob" else doc["spec"]
        assert cluster["headGroupSpec"]["template"]["spec"]["containers"]
        for group in cluster["workerGroupSpecs"]:
            assert group["minReplicas"] <= group["replicas"] <= group["maxReplicas"]
    if doc["kind"] == "RayCluster":
        return  # a cluster runs whatever is submitted to it
    if doc["kind"] == "CronJob":
        assert doc["spec"]["concurrencyPolicy"] == "Forbid"
    commands = _commands(doc)
    assert commands, f"{path.name}: no `refinery run|submit` command found"
    monkeypatch.chdir(ROOT)
    for argv in commands:
        config = next(a for a in argv[2:] if a.endswith((".yaml", ".yml")))
        assert (ROOT / config).is_file(), f"{path.name} runs {config}, which is not in the repo"
        cfg = load_config(ROOT / config)
        plan = build_plan(cfg)
        assert plan.tasks and cfg.ray.address == "auto"
