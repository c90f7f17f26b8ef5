"""Tables converted at set-up from data under ../shared (Phoenix dictionaries, CAMEO2PLOVER).

They came from public repositories, so the project never commits them: ``make setup`` converts them
into the git-ignored ``data/compiled/phoenix/`` (``eventcoder.events.convert``,
``eventcoder.actors.convert_phoenix``), and the stages read them from there.
"""

from __future__ import annotations

from importlib import resources

from eventcoder.errors import DataError

DATA_PACKAGE = "eventcoder.data"
CONVERTED_FOLDER = ("compiled", "phoenix")


def read_converted(name: str) -> str:
    """Return the text of one converted table; raise ``DataError`` saying how to build it when it is missing."""
    try:
        return resources.files(DATA_PACKAGE).joinpath(*CONVERTED_FOLDER, name).read_text("utf-8")
    except FileNotFoundError as exc:
        raise DataError(f"data/{'/'.join(CONVERTED_FOLDER)}/{name} is missing: run `make setup`, which converts it "
                        "from ../shared/data/phoenix and ../shared/eval/dev") from exc
