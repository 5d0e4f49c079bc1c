"""Start the web chat (/) and the HTTP API (/api) on the shipped corpus: `python app.py [--port N]`."""

from bot.cli import main

if __name__ == "__main__":
    import sys

    main_args = ["serve", *sys.argv[1:]]
    sys.argv = [sys.argv[0], *main_args]
    main()
