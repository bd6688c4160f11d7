"""Know (知る): matching needs to seeds, and later search, fronts, trends and critical technologies."""
