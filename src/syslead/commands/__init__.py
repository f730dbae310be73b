"""One module per command or command group, each imported only when its command runs."""
