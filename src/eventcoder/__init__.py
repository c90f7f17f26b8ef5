"""eventcoder: dated news articles to a political event dataset, offline."""

__version__ = "0.1.0"
