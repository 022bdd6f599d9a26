"""`ciwhy` command: the engine offline (`analyze`, `signatures`) and the service (`serve`,
`worker`, `migrate`, `tokens`; cli/service.py). Commands parse, call one function, shape the
output."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from ciwhy import __version__
from ciwhy.cli import admin, ci_report, client, notify_cmd, report, service

app = typer.Typer(
    help="Why did CI fail? The root cause of a failed CI log, offline, in milliseconds.",
    no_args_is_help=True,
    add_completion=False,
)
signatures_app = typer.Typer(help="The failure signatures the engine knows.", no_args_is_help=True)
app.add_typer(signatures_app, name="signatures")
service.register(app)
client.register(app)
ci_report.register(app)
admin.register(app)
notify_cmd.register(app)

SignaturesOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--signatures",
        help="A directory of extra signature files (TOML); may repeat. Also CIWHY_SIGNATURES_DIR.",
        file_okay=False,
    ),
]


def _library(dirs: list[Path] | None):  # type: ignore[no-untyped-def]
    from ciwhy.analysis.library_index import default_library
    from ciwhy.analysis.signatures import SignatureError, dirs_from_env

    try:
        return default_library([*dirs_from_env(), *(dirs or [])])
    except SignatureError as exc:
        typer.echo(f"ciwhy: {exc}", err=True)
        raise typer.Exit(2) from exc


def _read(name: str) -> bytes:
    if name == "-":
        return sys.stdin.buffer.read()
    return Path(name).read_bytes()


@app.command()
def analyze(
    files: Annotated[list[str], typer.Argument(help="Log files (plain or .gz); - reads stdin.")],
    as_json: Annotated[
        bool, typer.Option("--json", help="One JSON object per file (JSON Lines).")
    ] = False,
    max_lines: Annotated[
        int, typer.Option("--max-lines", min=1, max=1000, help="Excerpt size limit.")
    ] = 40,
    signatures: SignaturesOpt = None,
) -> None:
    """Find the root cause of each failed CI log, offline.

    Exit status 0 when every log was analysed, whatever the logs say; 1 when a file could not
    be read (the others are still analysed); 2 for bad usage or bad signature files.
    """
    from ciwhy.analysis import analyse

    library = _library(signatures)
    failed = 0
    for name in files:
        try:
            data = _read(name)
        except OSError as exc:
            failed += 1
            typer.echo(f"ciwhy: cannot read {name}: {exc.strerror or exc}", err=True)
            continue
        result = analyse(data, library=library, max_lines=max_lines)
        if as_json:
            sys.stdout.write(
                json.dumps({"file": name, **result.as_dict()}, ensure_ascii=False) + "\n"
            )
        else:
            sys.stdout.write(report.render(name, result) + "\n")
        sys.stdout.flush()
    if failed:
        raise typer.Exit(1)


@signatures_app.command("list")
def signatures_list(
    signatures: SignaturesOpt = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """List every signature: id, category, severity, where it comes from."""
    library = _library(signatures)
    for sig in library.signatures:
        if as_json:
            row = {
                k: getattr(sig, k)
                for k in (
                    "id",
                    "title",
                    "category",
                    "domain",
                    "severity",
                    "kind",
                    "priority",
                    "source",
                )
            }
            typer.echo(json.dumps(row))
        else:
            typer.echo(
                f"{sig.id:<48} {sig.category:<14} {sig.severity:<6} {sig.kind:<7} {sig.source}"
            )


@signatures_app.command("test")
def signatures_test(
    files: Annotated[list[str], typer.Argument(help="Log files to match every signature against.")],
    signatures: SignaturesOpt = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Show which signatures match which lines of the given logs."""
    from ciwhy.analysis import lines as lines_mod

    library = _library(signatures)
    failed = 0
    for name in files:
        try:
            log = lines_mod.read(_read(name))
        except OSError as exc:
            failed += 1
            typer.echo(f"ciwhy: cannot read {name}: {exc.strerror or exc}", err=True)
            continue
        hits = library.scan(log.lines, log.text)
        for idx in sorted(hits.signatures):
            for hit in hits.signatures[idx]:
                if as_json:
                    typer.echo(
                        json.dumps(
                            {
                                "file": name,
                                "line": idx + 1,
                                "signature": hit.signature.id,
                                "captures": hit.captures,
                            }
                        )
                    )
                else:
                    typer.echo(
                        f"{name}:{idx + 1}: {hit.signature.id}  {log.lines[idx].strip()[:120]}"
                    )
    if failed:
        raise typer.Exit(1)


@app.command()
def version() -> None:
    """Print the version."""
    typer.echo(__version__)


def main() -> None:
    os.environ.setdefault("PYTHONIOENCODING", "utf-8")
    app()


if __name__ == "__main__":
    main()
