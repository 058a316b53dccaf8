"""Sub-commands of `genai-lz`.

Each module here defines ``register(subparsers) -> None`` (adds its parser and sets
``func``) and keeps heavy imports inside its run function, so that ``genai-lz --help``
stays fast. ``checks.cli`` discovers the modules of this package, so adding a command is
adding one file.
"""
