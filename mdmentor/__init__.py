"""mdmentor: mentoring records kept as Markdown files with YAML front matter."""

__version__ = "0.1.0"
