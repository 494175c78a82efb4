"""``refinery train-classifier CONFIG``: train, evaluate and write a fastText classifier."""

from __future__ import annotations

import sys

import click

from refinery.commands import overrides_option, register_command
from refinery.errors import ConfigError, RefineryError

__all__ = ["train_classifier"]


@register_command
@click.command("train-classifier")
@click.argument("config", type=click.Path(dir_okay=False))
@overrides_option("classifier.fasttext.epoch=3")
def train_classifier(config: str, overrides: tuple[str, ...]) -> None:
    """Train a fastText classifier from the `classifier:` section of CONFIG.

    Writes <output>/<name>.bin, <name>.card.json and <name>.report.png and prints the
    held-out metrics. Exit 2 on a config error, 1 on a training failure.
    """
    from refinery.config import load_raw_config
    from stages.classify.train import train_classifier as train
    from stages.classify.train_config import load_train_config

    try:
        cfg = load_train_config(load_raw_config(config, list(overrides)))
        result = train(cfg)
    except RefineryError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2 if isinstance(exc, ConfigError) else 1)
    card = result.card
    m = card["metrics"]["heldout"]
    for side, c in card["counts"].items():
        click.echo(
            f"{side}: {c['read']:,} read, {c['usable']:,} usable, {c['train']:,} train, "
            f"{c['heldout']:,} held out"
        )
    click.echo(
        f"held-out ({m['documents']:,} docs, threshold {m['threshold']}): "
        f"precision {m['precision']:.4f}  recall {m['recall']:.4f}  f1 {m['f1']:.4f}  "
        f"accuracy {m['accuracy']:.4f}  roc_auc {m['roc_auc']:.4f}"
    )
    click.echo(f"model  {result.model_path}  (sha256 {card['model']['sha256'][:16]}...)")
    click.echo(f"card   {result.card_path}")
    click.echo(f"report {result.report_path}")
