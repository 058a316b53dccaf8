"""`genai-lz drift`: refresh-only plan of a root/env, drift reports and a check of the
refreshed values (behind `make drift`). Exit 0 = no drift, 1 = drift, 2 = error."""
from __future__ import annotations

import argparse
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "drift", help="detect drift: refresh-only plan, drift reports (JSON, Markdown), check of the refreshed values",
        description="Exit 0 = no drift, 1 = drift (the real infrastructure differs from the state), 2 = error.",
    )
    parser.add_argument("--root", default="workload", choices=("organization", "workload"),
                        help="root configuration under terraform/ (default: workload)")
    parser.add_argument("--env", default=None, help="environment (default dev; organization: management)")
    parser.add_argument("--target", default="auto", choices=("auto", "local", "aws"),
                        help="where the infrastructure runs (default auto: aws with credentials, else local)")
    parser.add_argument("--output", metavar="DIR", help="report directory (default: reports/<root>-<env>/)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from checks.ops import drift
    from checks.commands.ops import _rel, resolve_target, runner_for, say
    from checks.errors import LzError
    from checks.ops.terraform import ensure_terraform, repo_root, write_cli_config

    write_cli_config()
    ensure_terraform()
    target = resolve_target(args.target)
    if target == "offline":
        raise LzError("drift compares the state with real infrastructure: use TARGET=local (emulator) or TARGET=aws")
    tf = runner_for(args.root, args.env, target)
    ws = tf.ws
    out_dir = Path(args.output) if args.output else repo_root() / "reports" / f"{ws.root}-{ws.env}"
    extra = {"local_emulator": "true"} if target == "local" else {}
    result = drift.detect(tf, out_dir, extra)
    check = "passed" if result.check_code == 0 else "FAILED"
    if result.drifted:
        say(f"DRIFT in {ws.label} ({target}): {len(result.items)} changed attribute(s) in "
            f"{len(result.resources)} resource(s): {', '.join(result.resources) or 'outputs only'}")
        for item in result.items[:20]:
            say(f"  {item.address} {item.attribute}")
    else:
        say(f"no drift in {ws.label} ({target})")
    say(f"reports: {_rel(result.json_report)}, {_rel(result.markdown_report)}; "
        f"check of the refreshed values: gate {check} ({_rel(out_dir / 'refreshed')})")
    return result.exit_code
