"""The page cache: a Jinja2 template rendered once per *shape* of its context, then filled.

Credential pages differ only in their text values, so rendering 100,000 of them through Jinja2
repeats the same work. :class:`SlotTemplate` renders the template once per shape with every text
value replaced by a numbered slot, cuts the result at the slots, and builds each further page of
that shape by joining the literal parts with the page's values, escaped exactly as autoescape
escapes them.

That is only the same page as Jinja2's if the template does nothing with a text value but write it
out or test whether it is empty. Anything else (``{{ name|truncate(12) }}``, ``{% if code == 'A'
%}``, ``{{ name[:3] }}``) would act on the slot instead of the value: the first page would be right
and the next one wrong. So the cache is used only where it provably gives Jinja2's bytes:

1. *Before any rendering*, the template and every template it extends, includes or imports are
   parsed and checked for the few constructs whose result on a slot could differ from their result
   on the value *without* touching the slot in a way we can see: the filters ``safe``,
   ``forceescape``, ``striptags``, ``urlize`` and ``attr``, the tests ``string``, ``escaped`` and
   ``sameas``, attribute or item names starting with ``_``, template names that are not constants,
   rendered text (a macro call, ``self.block()``, ``super()``, ``caller()``, ``{% set %}…{%
   endset %}``, ``{% filter %}``) used in any way other than written out, and a message of the
   i18n extension (``_()``, ``gettext``, ``ngettext``…) that is not a constant. A ``{% trans %}``
   block is a call written out; ``_('Catalog')`` with constant arguments alone may be used in
   any way, since it is the same text on every page. Such a template is
   always rendered by Jinja2.
2. *While the shape is rendered*, each text value is a :class:`_Slot`, an object that is not a
   ``str``: writing it out (``__html__``, which autoescape calls) and its truth value are the only
   operations it supports. Every other operation a filter, test, comparison, subscript, loop or
   concatenation can apply to it (``str()``, ``len()``, ``==``, ``[...]``, ``iter()``, ``+``,
   ``%``, ``int()``, ``hash()``, attribute access, …) records that the slot was used and raises;
   the shape is then rendered by Jinja2 for every page (recorded, so that a filter which catches
   the exception cannot hide it).
3. Each shape's first page is also rendered by Jinja2 and compared, a last check that costs one
   extra render per shape.

The shape holds everything that steers the template besides the text: which values are empty,
dict keys, list lengths, numbers, flags, and the identity of :class:`Fixed` values. Values of any
other type make the page uncacheable (rendered by Jinja2), since their identity or text could not
be part of the shape safely.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from collections.abc import Set as AbstractSet
from typing import Any, NoReturn

import jinja2
from jinja2 import meta, nodes
from markupsafe import Markup

# Filters and tests whose result on a slot differs from their result on the text without an
# operation the slot can see: they call ``__html__`` meaning "already safe" (safe, forceescape,
# striptags, urlize, the ``escaped`` test), check the type (``string``), identity (``sameas``)
# or reach the object's own attributes (``attr``).
UNSAFE_FILTERS = frozenset({"safe", "forceescape", "striptags", "urlize", "attr"})
UNSAFE_TESTS = frozenset({"string", "escaped", "sameas"})
# Callables whose result is not rendered text (rendered text, e.g. a macro's output, holds slots
# as text, out of the slots' reach, so it may only be written out).
TEXT_FREE_CALLS = frozenset({"url", "range", "dict", "namespace", "cycler", "joiner"})
TEXT_FREE_METHODS = frozenset({"get", "cycle", "changed"})
# Jinja2's i18n extension (``{% trans %}``, ``_()``): how many leading arguments are the message
# (a context and/or the msgids). Given as constants, the translation is the same on every page;
# a value would be looked up in the catalog (the slot refuses to be hashed, but a catalog that
# returns unknown messages unchanged would not even ask), so a non-constant message bars the
# cache. The ``%(name)s`` values are escaped by Markup's ``%`` as autoescape escapes them.
GETTEXT_CALLS = {"_": 1, "gettext": 1, "ngettext": 2, "pgettext": 2, "npgettext": 3}


class Fixed(dict[str, Any]):
    """A context value shared by many pages, such as what every page of one credential type shows.

    :class:`SlotTemplate` renders it into the compiled page (its identity is part of the shape)
    instead of escaping and filling it on every page. It must live as long as the template: the
    :class:`~credsite.build.render.Renderer` keeps one per credential type.
    """


class SlotUsed(Exception):  # noqa: N818 - an event, not an error the user sees
    """A slot was used other than written out or tested for truth (not caught by Jinja2's
    lookups, which catch only ``TypeError``, ``LookupError`` and ``AttributeError``)."""


class _Watch:
    """Whether any slot of one shape's rendering was used; shared by its slots."""

    __slots__ = ("used",)

    def __init__(self) -> None:
        self.used = False


def _refuse(slot: _Slot, *_: Any) -> NoReturn:
    slot._watch.used = True
    raise SlotUsed


class _Slot:
    """A text value's place in the page being compiled: see the module docstring, point 2."""

    __slots__ = ("_marker", "_watch")

    def __init__(self, marker: str, watch: _Watch) -> None:
        self._marker = marker
        self._watch = watch

    def __html__(self) -> str:  # written out: autoescape calls escape(), which calls this
        return self._marker

    def __bool__(self) -> bool:  # only non-empty text becomes a slot
        return True

    def __getattr__(self, name: str) -> NoReturn:  # .upper(), .split(), .items … on the value
        _refuse(self)

    __hash__: Callable[..., Any] = _refuse
    __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = _refuse
    __str__ = __repr__ = __format__ = __bytes__ = __fspath__ = _refuse
    __len__ = __iter__ = __reversed__ = __contains__ = __getitem__ = _refuse
    __int__ = __float__ = __index__ = __complex__ = __round__ = __trunc__ = _refuse
    __floor__ = __ceil__ = __neg__ = __pos__ = __abs__ = __invert__ = __call__ = _refuse
    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = __mod__ = __rmod__ = _refuse
    __truediv__ = __rtruediv__ = __floordiv__ = __rfloordiv__ = __pow__ = __rpow__ = _refuse
    __and__ = __rand__ = __or__ = __ror__ = __xor__ = __rxor__ = _refuse
    __divmod__ = __rdivmod__ = __lshift__ = __rlshift__ = __rshift__ = __rrshift__ = _refuse
    __matmul__ = __rmatmul__ = _refuse


def static_blocker(env: jinja2.Environment, name: str) -> str | None:
    """Why the template ``name`` (with what it extends, includes and imports) may not use the
    cache, as ``file:line: reason``; None if nothing in it can act on a value unseen."""
    assert env.loader is not None
    todo, trees = [name], {}
    while todo:
        current = todo.pop()
        if current in trees:
            continue
        source = env.loader.get_source(env, current)[0]
        trees[current] = tree = env.parse(source, current)
        for ref in meta.find_referenced_templates(tree):
            if ref is None:
                return f"{current}: a template name that is not a constant"
            todo.append(ref)
    bound: set[str] = set().union(*(_bound_names(tree) for tree in trees.values()))
    for current, tree in trees.items():
        problem = tree_blocker(tree, bound)
        if problem:
            return f"{current}:{problem}"
    return None


def _bound_names(tree: nodes.Template) -> set[str]:
    """Every name the template binds: variables, parameters, macros, imported modules and names.

    A call through one of these may return rendered text, even when it is spelled like ``url()``.
    """
    names = {n.name for n in tree.find_all(nodes.Name) if n.ctx in ("store", "param")}
    names |= {m.name for m in tree.find_all(nodes.Macro)}
    names |= {i.target for i in tree.find_all(nodes.Import)}
    for imported in tree.find_all(nodes.FromImport):
        names |= {n if isinstance(n, str) else n[1] for n in imported.names}
    return names


def tree_blocker(tree: nodes.Template, bound: AbstractSet[str] = frozenset()) -> str | None:
    """The first construct of one parsed template that bars the cache, as ``line: reason``.

    ``bound``: the names bound anywhere in the templates rendered together (see
    :func:`_bound_names`).
    """
    written = {id(child) for out in tree.find_all(nodes.Output) for child in out.nodes}
    written |= {id(block.call) for block in tree.find_all(nodes.CallBlock)}
    for node in tree.find_all((nodes.Filter, nodes.Test, nodes.FilterBlock, nodes.AssignBlock,
                               nodes.Call, nodes.Getattr, nodes.Getitem)):
        line = node.lineno
        if isinstance(node, nodes.Filter) and node.name in UNSAFE_FILTERS:
            return f"{line}: the filter {node.name!r}"
        if isinstance(node, nodes.Test) and node.name in UNSAFE_TESTS:
            return f"{line}: the test {node.name!r}"
        if isinstance(node, nodes.FilterBlock):
            return f"{line}: rendered text captured by {{% filter %}}"
        if isinstance(node, nodes.AssignBlock):
            return f"{line}: rendered text captured by {{% set %}}…{{% endset %}}"
        if isinstance(node, nodes.Getattr) and node.attr.startswith("_"):
            return f"{line}: the attribute {node.attr!r}"
        if (isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const)
                and isinstance(node.arg.value, str) and node.arg.value.startswith("_")):
            return f"{line}: the item {node.arg.value!r}"
        message = _gettext_problem(node, bound) if isinstance(node, nodes.Call) else None
        if message:
            return f"{line}: {message}"
        if isinstance(node, nodes.Call) and id(node) not in written and not _text_free(node, bound):
            return f"{line}: rendered text (a call's result) used other than written out"
    return None


def _gettext_name(call: nodes.Call, bound: AbstractSet[str]) -> str | None:
    func = call.node
    if isinstance(func, nodes.Name) and func.name in GETTEXT_CALLS and func.name not in bound:
        return func.name
    return None


def _gettext_problem(call: nodes.Call, bound: AbstractSet[str]) -> str | None:
    """Why a call of the i18n extension bars the cache: a message that is not a constant."""
    name = _gettext_name(call, bound)
    if name is None:
        return None
    messages = call.args[:GETTEXT_CALLS[name]]
    if (len(messages) < GETTEXT_CALLS[name] or call.dyn_args is not None
            or not all(isinstance(arg, nodes.Const) for arg in messages)):
        return f"a message of {name}() that is not a constant"
    return None


def _text_free(call: nodes.Call, bound: AbstractSet[str]) -> bool:
    """Whether a call surely returns no rendered text: a global helper, a dict's ``get``, or
    a constant message of the i18n extension with no values (the same text on every page)."""
    func = call.node
    if _gettext_name(call, bound) is not None:
        return (not call.kwargs and call.dyn_kwargs is None
                and all(isinstance(arg, nodes.Const) for arg in call.args))
    if isinstance(func, nodes.Name):
        return func.name in TEXT_FREE_CALLS and func.name not in bound
    return (isinstance(func, nodes.Getattr) and func.attr in TEXT_FREE_METHODS
            and func.attr not in bound and not (isinstance(func.node, nodes.Name)
                                                and func.node.name in ("self", "caller")))


_LEAF_TYPES = (type(None), bool, int, float)


def _collect(value: Any, value_out: Callable[[str], None], shape_out: Callable[[Any], None]) -> bool:
    """:meth:`SlotTemplate._collect` with the lists' ``append`` bound once: some thirty calls a
    credential page, so a plain function with no attribute lookups (about a third faster)."""
    kind = type(value)
    if kind is str or kind is Markup:
        if value:
            shape_out(_TEXT[kind is Markup])
            value_out(value)
        else:
            shape_out(_EMPTY[kind is Markup])
    elif kind is dict:
        shape_out(tuple(value))
        for item in value.values():
            if not _collect(item, value_out, shape_out):
                return False
    elif kind is list or kind is tuple:
        shape_out((kind, len(value)))
        for item in value:
            if not _collect(item, value_out, shape_out):
                return False
    elif kind is Fixed:
        shape_out(id(value))
    elif kind in _LEAF_TYPES:
        shape_out((kind, value))  # True == 1, but (bool, True) != (int, 1)
    else:
        return False
    return True


_TEXT = ((False, True), (True, True))  # shape of a non-empty str, Markup
_EMPTY = ((False, False), (True, False))


class SlotTemplate:
    """A Jinja2 template rendered once per shape of its context, then filled by string joins.

    ``template`` must come from ``env.get_template`` (its source is checked, see the module
    docstring); a template the check refuses is always rendered by Jinja2 (``blocker`` says why).
    """

    def __init__(self, template: jinja2.Template) -> None:
        self.template = template
        name = template.name
        self.blocker: str | None = (static_blocker(template.environment, name) if name
                                    else "a template without a name (its source is unknown)")
        self.compiled: dict[tuple[Any, ...], _Compiled | None] = {}  # by shape
        # Markers carry a random tag, so that no text in the template or a Fixed value is a marker.
        self._tag = secrets.token_hex(6)
        self._marker = re.compile(f"\x00{self._tag}:(\\d+)\x00")

    def render(self, **context: Any) -> str:
        page, values = self._page(context)
        return self.template.render(**context) if page is None else page.fill(values)

    def render_utf8(self, **context: Any) -> bytes:
        """:meth:`render` encoded in UTF-8, joined from encoded parts: a page whose values hold
        one character beyond Latin-1 (a name in Chinese) is otherwise widened to four bytes a
        character as one ``str``, then encoded back, on every page."""
        page, values = self._page(context)
        if page is None:
            return self.template.render(**context).encode("utf-8")
        return page.fill_utf8(values)

    def _page(self, context: dict[str, Any]) -> tuple[_Compiled | None, list[str]]:
        """The compiled page for the context's shape (None: render with Jinja2) and its values."""
        values: list[str] = []
        if self.blocker is not None:
            return None, values
        shape: list[Any] = []
        if not self._collect(context, values, shape):
            return None, values
        key = tuple(shape)
        if key in self.compiled:
            page = self.compiled[key]
        else:
            page = self.compiled[key] = self._compile(context, values)
        return page, values

    def _collect(self, value: Any, values: list[str], shape: list[Any]) -> bool:
        """The text values and the shape of a context; False if a value's type cannot be shaped.

        Types are compared exactly: a ``str`` or ``dict`` subclass could behave differently.
        """
        return _collect(value, values.append, shape.append)

    def _slot(self, value: Any, watch: _Watch, count: list[int]) -> Any:
        """``value`` with each non-empty text (in :meth:`_collect`'s order) made a slot."""
        kind = type(value)
        if kind is str or kind is Markup:
            if not value:
                return value
            count[0] += 1
            return _Slot(f"\x00{self._tag}:{count[0] - 1}\x00", watch)
        if kind is dict:
            return {k: self._slot(v, watch, count) for k, v in value.items()}
        if kind is list:
            return [self._slot(v, watch, count) for v in value]
        if kind is tuple:
            return tuple(self._slot(v, watch, count) for v in value)
        return value  # Fixed and leaves: rendered as they are

    def _compile(self, context: dict[str, Any], values: list[str]) -> _Compiled | None:
        watch = _Watch()
        try:
            text = self.template.render(**self._slot(context, watch, [0]))
        except Exception:  # noqa: BLE001 - a slot refused (SlotUsed) or the template failed on one
            return None
        if watch.used or "\x00" in self._marker.sub("", text):
            return None
        page = _Compiled(self._marker.split(text))
        if any(slot >= len(values) for slot in page.slots):
            return None
        if page.fill(values) != self.template.render(**context):
            return None
        return page


def _escape_text(text: str) -> str:
    """What autoescape writes for the ``str`` ``text`` (``markupsafe.escape``'s replacements, in
    its order), as a plain ``str``: the page is joined from strings, so the ``Markup`` object that
    ``escape`` builds for each value (about a microsecond, some twenty values a page) is not
    needed. ``tests/test_slot_template.py`` compares it with ``escape``."""
    return (text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
            .replace("'", "&#39;").replace('"', "&#34;"))


class _Compiled:
    """A page cut at its slot markers: literal text, slot number, literal text, ...

    Filling puts each slot's escaped value between the literals and joins them, which is a few
    times faster than ``str.format`` on a page of several kilobytes.
    """

    def __init__(self, pieces: list[str]) -> None:
        self.parts: list[str] = [piece if i % 2 == 0 else "" for i, piece in enumerate(pieces)]
        self.slots = [int(piece) for piece in pieces[1::2]]  # a value may fill several slots
        self.utf8_parts = [part.encode("utf-8") for part in self.parts]

    def fill(self, values: list[str]) -> str:
        escaped = [v if type(v) is Markup else _escape_text(v) for v in values]
        parts = self.parts.copy()
        parts[1::2] = map(escaped.__getitem__, self.slots)
        return "".join(parts)

    def fill_utf8(self, values: list[str]) -> bytes:
        """:meth:`fill` in UTF-8 (the same bytes as ``fill(values).encode()``)."""
        escaped = [(v if type(v) is Markup else _escape_text(v)).encode("utf-8") for v in values]
        parts = self.utf8_parts.copy()
        parts[1::2] = map(escaped.__getitem__, self.slots)
        return b"".join(parts)
