"""``python -m bench``: the command-line entry. argv → exit status."""

from bench.run import main

# Guarded: the fake server's child process (multiprocessing "spawn") re-imports this module.
if __name__ == "__main__":
    raise SystemExit(main())
