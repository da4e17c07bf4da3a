"""Subcommands added by later parts (build, template, import, …); each registers itself here."""


def register(sub) -> None:
    for name in ("builder_cli", "excel_cli", "export_cli"):
        try:
            module = __import__(f"baocao.{name}", fromlist=["register"])
        except ModuleNotFoundError as exc:
            if exc.name != f"baocao.{name}":
                raise
            continue
        module.register(sub)
