"""Excel forms for communes: the form logic and its files."""
