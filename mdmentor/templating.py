"""The one place that builds Jinja environments.

Bundled templates live in ``templates/``; a journal overrides any of them by
placing a file with the same relative name in its own ``templates/`` folder.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from mdmentor.errors import TemplateError
from mdmentor.resources import data_dir


def find_file(name: str, journal_root: Path | None = None) -> Path:
    """The template file ``name``: the journal's own copy if it has one, else the bundled one."""
    for folder in _folders(journal_root):
        if (folder / name).is_file():
            return folder / name
    raise TemplateError(f"no template {name}")


def exists(name: str, journal_root: Path | None = None) -> bool:
    """Whether a template called ``name`` is in the journal's or the bundled templates."""
    return any((folder / name).is_file() for folder in _folders(journal_root))


def _folders(journal_root: Path | None) -> list[Path]:
    """Where templates are looked for, first match wins."""
    folders = [data_dir("templates")]
    if journal_root is not None and (journal_root / "templates").is_dir():
        folders.insert(0, journal_root / "templates")
    return folders


def _markdown(text: str) -> Any:
    """Markdown rendered to HTML that the template may insert as it is."""
    from markupsafe import Markup

    from mdmentor.reporting.markdown_html import to_html

    return Markup(to_html(text))


def _demote(text: str) -> str:
    from mdmentor.reporting.markdown_html import demote_headings

    return demote_headings(text)


def _yaml_value(value: Any) -> str:
    """A value written so YAML reads it back exactly (JSON is a subset of YAML)."""
    return json.dumps(value, ensure_ascii=False)


def environment(journal_root: Path | None = None, *, autoescape: bool = False) -> Any:
    """A Jinja environment over the journal's templates, then the bundled ones."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(f) for f in _folders(journal_root)]),
        undefined=jinja2.StrictUndefined,
        autoescape=autoescape,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["yaml"] = _yaml_value
    env.filters["oneline"] = lambda text: " ".join(str(text).split())
    env.filters["markdown"] = _markdown
    env.filters["demote"] = _demote
    return env


def render(
    name: str,
    context: dict[str, Any],
    *,
    journal_root: Path | None = None,
    autoescape: bool = False,
) -> str:
    """Render the template ``name`` (e.g. ``records/session.md``) with ``context``."""
    import jinja2

    env = environment(journal_root, autoescape=autoescape)
    try:
        return str(env.get_template(name).render(**context))
    except jinja2.TemplateNotFound as err:
        raise TemplateError(f"no template {err.name}") from err
    except jinja2.TemplateSyntaxError as err:
        raise TemplateError(
            f"{err.filename or err.name}:{err.lineno}: template syntax error: {err.message}"
        ) from err
    except jinja2.TemplateError as err:
        raise TemplateError(f"template {name}{_line_of(err, name)}: {err}") from err


def _line_of(err: BaseException, name: str) -> str:
    """The template line an error was raised from, read off the traceback."""
    tb = err.__traceback__
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.endswith(name):
            line = tb.tb_lineno
        tb = tb.tb_next
    return f":{line}" if line else ""
