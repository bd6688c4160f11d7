"""`python -m kizashi.know.landscape.planted --works N --out DIR` (see `files.main`)."""

from kizashi.know.landscape.planted.files import main

main()
