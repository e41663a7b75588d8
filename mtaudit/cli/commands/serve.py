"""`mtaudit serve`: the HTTP service (needs the extra: pip install "mtaudit[serve]")."""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

from mtaudit.cli.options import AllowNetworkOpt, ConfigOpt, ModelOpt
from mtaudit.core.exitcodes import ExitCode


def register(app: typer.Typer) -> None:
    @app.command()
    def serve(
        host: Annotated[str, typer.Option("--host", help="Address to bind (0.0.0.0 exposes the service to the network).")] = "127.0.0.1",
        port: Annotated[int, typer.Option("--port", "-p", help="TCP port.")] = 8000,
        config: ConfigOpt = None,
        no_lm: Annotated[bool, typer.Option("--no-lm", help="Rules only: no language model.")] = False,
        model: ModelOpt = None,
        glossary: Annotated[list[str] | None, typer.Option("--glossary", help="A house glossary (overrides the default).")] = None,
        api_key: Annotated[
            str | None,
            typer.Option("--api-key", envvar="MTAUDIT_API_KEY", help="Require this key (Authorization: Bearer KEY); default: the MTAUDIT_API_KEY variable, or none."),
        ] = None,
        timeout: Annotated[float, typer.Option("--timeout", help="Seconds a request may wait for its scores before a 504.")] = 60.0,
        max_request_size: Annotated[float, typer.Option("--max-request-size", help="Largest request body, in MB.")] = 2.0,
        max_batch: Annotated[int, typer.Option("--max-batch", help="Most articles in one request.")] = 100,
        max_queue: Annotated[int, typer.Option("--max-queue", help="Most articles waiting to be scored before new requests get a 503.")] = 256,
        shutdown_grace: Annotated[float, typer.Option("--shutdown-grace", help="On SIGTERM, seconds to let in-flight requests finish.")] = 60.0,
        log_level: Annotated[str, typer.Option("--log-level", help="uvicorn's log level: warning, info, debug.")] = "warning",
        allow_network: AllowNetworkOpt = False,
    ) -> None:
        """Run the HTTP service: loads the auditor and the model once, then answers
        POST /v1/audit, /v1/audit/batch, GET /v1/rules, /health, /metrics, and LanguageTool's
        POST /v2/check and GET /v2/languages (see the README, "Use it in a CMS")."""
        try:
            import uvicorn

            from mtaudit.serve.app import Settings, create_app
            from mtaudit.serve.engine import Engine
        except ImportError as exc:
            print(f"mtaudit: `mtaudit serve` needs the serve extra: pip install \"mtaudit[serve]\" ({exc.name} is missing)", file=sys.stderr)
            raise typer.Exit(ExitCode.USAGE) from None
        from mtaudit.cli.common import build_config

        for name, value, low in (("--timeout", timeout, 0), ("--max-request-size", max_request_size, 0), ("--max-batch", max_batch, 0), ("--max-queue", max_queue, 0)):
            if value <= low:
                print(f"mtaudit: {name} must be positive", file=sys.stderr)
                raise typer.Exit(ExitCode.USAGE)
        if not 0 <= port <= 65535:
            print(f"mtaudit: --port {port} is not a TCP port", file=sys.stderr)
            raise typer.Exit(ExitCode.USAGE)
        cfg = build_config(config, no_lm=no_lm, glossary=glossary, model=model, allow_network=allow_network)
        cfg.max_bytes = int(max_request_size * 1_000_000)
        engine = Engine(cfg, max_pending=max(max_queue, max_batch))
        display_host = f"[{host}]" if ":" in host else host
        settings = Settings(
            api_key=api_key or None,
            timeout=timeout,
            max_body=int(max_request_size * 1_000_000),
            max_batch=max_batch,
            url=f"http://{display_host}:{port}",
        )
        server: uvicorn.Server | None = None

        def on_fail() -> None:
            if server is not None:
                server.should_exit = True

        app = create_app(engine, settings, on_fail=on_fail)
        uv = uvicorn.Config(
            app,
            host=host,
            port=port,
            log_level=log_level,
            access_log=log_level in ("info", "debug", "trace"),
            lifespan="on",
            timeout_graceful_shutdown=max(1, int(shutdown_grace)),
            server_header=False,
        )
        server = uvicorn.Server(uv)
        if host not in ("127.0.0.1", "localhost", "::1") and not api_key:
            print(f"mtaudit: warning: listening on {host} without --api-key: anyone who can reach it can use it", file=sys.stderr)
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        server.run()
        if engine.failed:
            print(f"mtaudit: the service stopped: {engine.failed}", file=sys.stderr)
            raise typer.Exit(ExitCode.USAGE)
        if not server.started:
            # uvicorn could not bind (it has said why)
            raise typer.Exit(ExitCode.USAGE)
