"""`mtaudit model prepare` and `mtaudit model info`: the language model behind FL601."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from mtaudit.cli.options import AllowNetworkOpt, ConfigOpt, ModelOpt, TextJsonOpt
from mtaudit.core.exitcodes import ExitCode


def register(app: typer.Typer) -> None:
    model_app = typer.Typer(
        name="model",
        help="Prepare and inspect the language model used for fluency (FL601).",
        no_args_is_help=True,
        rich_markup_mode=None,
    )

    @model_app.command("prepare")
    def prepare_cmd(
        force: Annotated[
            bool, typer.Option("--force", help="Rebuild even if already prepared.")
        ] = False,
    ) -> None:
        """Assemble the embedded Gemma 3 270M (sha256-checked) and convert it once to bf16
        safetensors in the cache. Fast when already done."""
        from mtaudit.lm.prepare import prepare, read_manifest

        try:
            path = prepare(force=force)
        except Exception as exc:  # an actionable one-line error
            print(
                f"mtaudit: preparing the default model failed: {type(exc).__name__}: {exc}",
                file=sys.stderr,
            )
            raise typer.Exit(ExitCode.USAGE) from None
        man = read_manifest(path) or {}
        print(
            f"mtaudit: default model ready: {path} (sha256 {man.get('weights_sha256', '?')[:16]}…)",
            file=sys.stderr,
        )

    @model_app.command("info")
    def info_cmd(
        model: ModelOpt = None,
        config: ConfigOpt = None,
        allow_network: AllowNetworkOpt = False,
        load: Annotated[
            bool, typer.Option("--load/--no-load", help="Load the model (timing, parameters).")
        ] = True,
        format: TextJsonOpt = "text",
    ) -> None:
        """Say which model is used, from where, its licence terms and its hash."""
        from mtaudit.cli.common import build_config
        from mtaudit.lm.calibration import calibration_for
        from mtaudit.lm.loading import ModelLoadError, describe_source, is_default, load_lm
        from mtaudit.lm.paths import DEFAULT_MODEL_ID
        from mtaudit.lm.prepare import LICENCE, read_manifest

        cfg = build_config(config, model=model, allow_network=allow_network)
        kind, where = describe_source(cfg.model)
        info: dict = {
            "model": DEFAULT_MODEL_ID if is_default(cfg.model) else cfg.model,
            "kind": kind,
            "path": where,
        }
        if kind == "default":
            man = read_manifest()
            info["prepared"] = man is not None
            if man:
                info.update(
                    name=man.get("name"),
                    upstream=man.get("upstream"),
                    package=man.get("package"),
                    licence=man.get("licence", LICENCE),
                    sha256=man.get("weights_sha256"),
                    gguf_sha256=man.get("gguf_sha256"),
                )
            else:
                info["licence"] = LICENCE
                load = False
                info["hint"] = "run `mtaudit model prepare`"
        if load:
            try:
                lm = load_lm(cfg.model, allow_network=cfg.allow_network, auto_prepare=False)
            except ModelLoadError as exc:
                print(f"mtaudit: {exc}", file=sys.stderr)
                raise typer.Exit(ExitCode.USAGE) from None
            for k in (
                "name",
                "licence",
                "sha256",
                "fingerprint",
                "dtype",
                "parameters",
                "vocab",
                "threads",
                "load_seconds",
            ):
                if lm.info.get(k) is not None or k not in info:
                    info[k] = lm.info.get(k)
            info["softmax"] = lm.vocab_mode
            info["model_id"] = lm.model_id
        calib = calibration_for(info.get("model_id", info["model"]))
        info["fluency_calibration"] = (
            f"{calib.data.get('sentences')} sentences of {calib.data.get('documents')} WMT French originals"
            if calib
            else "none (perplexity only; see training/calibrate_fluency.py)"
        )
        if format == "json":
            print(json.dumps(info, indent=1, ensure_ascii=False))
            return
        for k, v in info.items():
            print(f"{k:20s} {v}")

    app.add_typer(model_app, name="model")
