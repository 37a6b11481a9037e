"""The one place that builds Jinja environments.

Bundled templates live in ``templates/``; a journal overrides any of them by placing a
file with the same relative name in its own ``templates/`` folder.

A journal's templates arrive from whoever pushed them, so a template is data, not code:
every environment is Jinja's ``ImmutableSandboxedEnvironment`` (no attribute that starts
with ``_``, no unsafe call, no changing lists or dicts), it has no globals besides the
few it needs, and templates receive plain data and a handful of named functions, never a
module. A journal's template is read through ``records.reading`` like every journal file,
so a symbolic link there is refused rather than followed.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from mdmentor.errors import ParseError, TemplateError
from mdmentor.records.reading import read_text
from mdmentor.resources import data_dir
from mdmentor.wording import and_list

#: A template is a few kilobytes; a journal's own is refused beyond this.
MAX_TEMPLATE_BYTES = 256 * 1024


def _places(journal_root: Path | None) -> list[tuple[Path, Path]]:
    """(folder, the root its files are read within), first match wins."""
    bundled = data_dir("templates")
    places = [(bundled, bundled)]
    if journal_root is not None:
        places.insert(0, (journal_root / "templates", journal_root))
    return places


def _parts(name: str) -> list[str]:
    import jinja2.loaders

    try:
        return list(jinja2.loaders.split_template_path(name))
    except jinja2.TemplateNotFound:
        raise TemplateError(f"no template {name}") from None


def _find(name: str, journal_root: Path | None) -> tuple[Path, Path] | None:
    """The file of the template ``name`` and the root it is read within: the journal's own
    copy if it has one (even a broken one, which reading then reports), else the bundled
    one; None if neither has it. Nothing is read."""
    parts = _parts(name)
    for folder, root in _places(journal_root):
        path = folder.joinpath(*parts)
        if path.is_symlink() or path.exists():
            return path, root
    return None


def read_template(name: str, journal_root: Path | None = None) -> tuple[str, Path]:
    """The text and path of the template file ``name`` (see ``_find``)."""
    found = _find(name, journal_root)
    if found is None:
        raise TemplateError(f"no template {name}")
    path, root = found
    return read_text(path, root=root, max_bytes=MAX_TEMPLATE_BYTES), path


def exists(name: str, journal_root: Path | None = None) -> bool:
    """Whether a template called ``name`` is in the journal's or the bundled templates."""
    return _find(name, journal_root) is not None


def _loader(journal_root: Path | None) -> Any:
    import jinja2

    class JournalLoader(jinja2.BaseLoader):
        """Finds templates in the journal, then the bundled ones, reading each safely."""

        def get_source(
            self, environment: Any, template: str
        ) -> tuple[str, str, Callable[[], bool]]:
            try:
                text, path = read_template(template, journal_root)
            except TemplateError:
                raise jinja2.TemplateNotFound(template) from None
            except ParseError as err:
                raise TemplateError(f"template {template}: {err}") from err
            return text, str(path), lambda: False

    return JournalLoader()


def _markdown(text: str) -> Any:
    """Markdown rendered to HTML that the template may insert as it is."""
    from markupsafe import Markup

    from mdmentor.reporting.markdown_html import to_html

    return Markup(to_html(str(text)))


def _demote(text: str) -> str:
    from mdmentor.reporting.markdown_html import demote_headings

    return demote_headings(str(text))


def _yaml_value(value: Any) -> str:
    """A value written so YAML reads it back exactly (JSON is a subset of YAML)."""
    return json.dumps(value, ensure_ascii=False)


def _oneline(text: Any) -> str:
    return " ".join(str(text).split())


def _sentence(text: Any) -> str:
    """Text on one line that ends as a sentence does (a list of texts, one after another)."""
    parts = text if isinstance(text, list) else [text]
    done = []
    for part in parts:
        line = _oneline(part)
        done.append(line if line.endswith((".", "!", "?", ":")) else line + ".")
    return " ".join(done)


def _days_after(day: Any, days: int) -> str:
    """The date ``days`` after the YYYY-MM-DD ``day`` (a 13-week check: ``days_after(91)``)."""
    from datetime import date, timedelta

    return (date.fromisoformat(str(day)) + timedelta(days=int(days))).isoformat()


#: The largest string or list a template may make by ``*`` or ``**``: a layout never needs
#: more, and a hostile template could otherwise ask for gigabytes.
MAX_PRODUCT = 100_000


def _sandbox() -> Any:
    """Jinja's immutable sandbox, with ``*`` and ``**`` kept from making huge values."""
    from jinja2.exceptions import SecurityError
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    class Sandbox(ImmutableSandboxedEnvironment):
        intercepted_binops = frozenset(("*", "**"))

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            if operator == "**" and abs(right) > 64:
                raise SecurityError("a power above 64 is not allowed in a template")
            if operator == "*":
                sizes = [len(v) for v in (left, right) if isinstance(v, (str, list, tuple))]
                counts = [v for v in (left, right) if isinstance(v, int)]
                if sizes and counts and max(sizes) * max(abs(c) for c in counts) > MAX_PRODUCT:
                    raise SecurityError("a template may not build text or lists that large")
            return super().call_binop(context, operator, left, right)

    return Sandbox


def environment(journal_root: Path | None = None, *, autoescape: bool = False) -> Any:
    """A sandboxed Jinja environment over the journal's templates, then the bundled ones."""
    import jinja2

    env = _sandbox()(
        loader=_loader(journal_root),
        undefined=jinja2.StrictUndefined,
        autoescape=autoescape,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.clear()  # no cycler, joiner, lipsum, namespace or range: nothing to misuse
    env.filters.update(
        yaml=_yaml_value,
        oneline=_oneline,
        sentence=_sentence,
        markdown=_markdown,
        demote=_demote,
        days_after=_days_after,
        and_list=and_list,
    )
    return env


def render(
    name: str,
    context: dict[str, Any],
    *,
    journal_root: Path | None = None,
    autoescape: bool = False,
) -> str:
    """Render the template ``name`` (e.g. ``records/session.md``) with ``context``.

    ``context`` holds plain data (dicts, lists, strings, numbers, frozen dataclasses) and
    named functions; any error, a refused unsafe operation included, names the template
    file and line.
    """
    import jinja2

    env = environment(journal_root, autoescape=autoescape)
    try:
        with _time_limit(MAX_RENDER_SECONDS):
            return str(env.get_template(name).render(**context))
    except TooLong as err:
        raise TemplateError(
            _where(err, name, journal_root) + f"still not done after {MAX_RENDER_SECONDS} "
            "seconds, so it was stopped (a template that loops too long)"
            + _own(err, name, journal_root)
        ) from err
    except jinja2.TemplateNotFound as err:
        raise TemplateError(f"no template {err.name}") from err
    except jinja2.TemplateSyntaxError as err:
        where = shown_path(Path(err.filename), journal_root) if err.filename else err.name
        raise TemplateError(f"{where}:{err.lineno}: template syntax error: {err.message}") from err
    except jinja2.TemplateError as err:
        raise TemplateError(
            _where(err, name, journal_root) + _explain(err) + _own(err, name, journal_root)
        ) from err
    except (TypeError, ValueError, AttributeError, LookupError, ArithmeticError) as err:
        # a filter or function given the wrong kind of value by a template
        raise TemplateError(
            _where(err, name, journal_root) + f"{err}" + _own(err, name, journal_root)
        ) from err
    except (RecursionError, MemoryError) as err:  # a template that calls itself, or grows
        what = "calls itself too deeply" if isinstance(err, RecursionError) else "grows too large"
        raise TemplateError(
            _where(err, name, journal_root)
            + f"stopped: the template {what}"
            + _own(err, name, journal_root)
        ) from err


#: A report is laid out in seconds even from 50,000 records; a template still running after
#: this is looping, and is stopped.
MAX_RENDER_SECONDS = 60


class TooLong(Exception):
    """Raised inside a render that has run past its time limit."""


@contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Stop the block with TooLong after ``seconds``, where the system has a timer signal
    and this is the main thread (Linux, macOS); elsewhere the block runs unlimited."""
    import signal
    import threading

    if (
        not hasattr(signal, "setitimer")
        or threading.current_thread() is not threading.main_thread()
    ):
        yield
        return

    def stop(signum: int, frame: Any) -> None:
        raise TooLong

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _explain(err: BaseException) -> str:
    from jinja2.exceptions import SecurityError

    if isinstance(err, SecurityError):
        return f"refused: {err} (a template may only lay out the data it is given)"
    return str(err)


def shown_path(path: Path, journal_root: Path | None) -> str:
    """A template's path as a person finds it: inside the journal, or the bundled name."""
    if journal_root is not None and journal_root in path.parents:
        return path.relative_to(journal_root).as_posix()
    return f"bundled template {path.relative_to(data_dir('templates')).as_posix()}"


def _where(err: BaseException, name: str, journal_root: Path | None) -> str:
    """``path:line: `` of the template an error was raised from."""
    failure = _failure(err, name, journal_root)
    if failure is None:
        return f"template {name}: "
    path, line = failure
    shown = shown_path(path, journal_root)
    return f"{shown}:{line}: " if line else f"{shown}: "


def _own(err: BaseException, name: str, journal_root: Path | None) -> str:
    """A hint, where the failing template is the journal's own copy (which whoever shares
    the journal may have written): deleting it brings back the bundled one."""
    failure = _failure(err, name, journal_root)
    if journal_root is None or failure is None or journal_root not in failure[0].parents:
        return ""
    shown = failure[0].relative_to(journal_root).as_posix()
    return f". {shown} is the journal's own template: delete it to use mdmentor's own"


def _failure(
    err: BaseException, name: str, journal_root: Path | None
) -> tuple[Path, int | None] | None:
    """The template file and line an error was raised from, read off the traceback: its
    last template frame (an included template's, say), else the file of ``name``."""
    try:
        found = _find(name, journal_root)
    except TemplateError:
        return None
    if found is None:
        return None
    path, _ = found
    line = None
    tb = err.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename == str(path) or filename.endswith(name):
            path, line = Path(filename), tb.tb_lineno
        tb = tb.tb_next
    return path, line
