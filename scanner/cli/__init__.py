"""The command line. Kept free of imports: the launcher starts before typer loads."""
