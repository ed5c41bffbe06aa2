"""One module per ``mtnorm`` subcommand: ``add_parser(subparsers)`` and ``run(args)``."""
