"""Lexicons and knowledge shipped with eventcoder (read with importlib.resources)."""
