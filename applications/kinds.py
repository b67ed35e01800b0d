"""The registry of application kinds: what the engine knows about each kind, filled by the
workflow apps from their ``AppConfig.ready()``.

The engine holds no kind's facts (terms, payloads, templates, reviews): a workflow app registers
its kinds, and the engine looks them up here. A code nobody registered is an error, so a typo or
a workflow that is not installed cannot open applications.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured

from portal.workdays import calendar_for

DEFAULT_DETAIL_TEMPLATE = "applications/kinds/default.html"


class TermStart:
    """The event a kind's term is counted from."""

    SUBMISSION = "submission"
    # Kinds counted from a later event (W2: the payment of the fee) get a provisional due date at
    # submission and call applications.services.start_term() when that event happens.


@dataclass(frozen=True)
class Stage:
    """One stage of a kind's workflow with its legal clock (applications.clocks runs it).

    ``term`` is the stage's term in working days: an int, a callable ``term(application)`` for
    terms that depend on the application (W2: 20 or 24 days after payment by applicant kind; W3:
    10 or 5 by branch), or None for a stage without a clock (the registration, the final result).
    ``counts_from`` names, for the applicant, the event the term counts from ("from the payment").
    """

    code: str
    label: str
    term: int | Callable | None = None
    counts_from: str = ""

    def term_for(self, application):
        return self.term(application) if callable(self.term) else self.term


def due_after_working_days(*, tenant, kind, branch, start):
    """The usual term: the kind's working days (as staff set them) after ``start``."""
    return calendar_for(tenant).add_working_days(start, kind.due_working_days)


@dataclass(frozen=True)
class Kind:
    """One kind of application, as its workflow app registers it.

    ``due_on(*, tenant, kind, branch, start)`` computes the due date; ``kind`` is the tenant's
    ApplicationKind row, so a term staff changed in the admin applies. A kind whose term depends
    on more than working days (W3: 10 or 5 by branch) passes its own function.
    ``admin_model`` ("app_label.ModelName") is the proxy whose admin reviews the kind: the
    generic application admin then makes no status changes of its own for it.
    ``confirm(*, application, actor)`` executes the application and applies what it asks for.
    ``on_withdraw(*, application)`` runs in the withdrawal's transaction, so the kind's payload
    (W1's submitted readings) shows as withdrawn too; the engine does not know what that means.
    ``stages`` lists the kind's stages in order (W2, W3): the applicant's page shows them as a
    timeline with the legal date of each, and the admin filters the queue by stage and lateness.
    """

    code: str
    label: str
    default_term: int
    term_starts: str = TermStart.SUBMISSION
    due_on: Callable = due_after_working_days
    payload_model: str | None = None
    detail_template: str = DEFAULT_DETAIL_TEMPLATE
    admin_model: str | None = None
    confirm: Callable | None = None
    on_withdraw: Callable | None = None
    stages: tuple[Stage, ...] = ()

    @property
    def has_own_review(self):
        return self.admin_model is not None

    def stage(self, code):
        for stage in self.stages:
            if stage.code == code:
                return stage
        raise UnknownStage(f"Application kind {self.code!r} has no stage {code!r}")


class UnknownKind(ValueError):
    pass


class UnknownStage(ValueError):
    pass


_registry: dict[str, Kind] = {}


def register(kind):
    """Called from a workflow app's ``ready()``; registering the same kind twice is harmless."""
    existing = _registry.get(kind.code)
    if existing is not None and existing != kind:
        raise ImproperlyConfigured(f"Application kind {kind.code!r} is registered twice")
    _registry[kind.code] = kind
    return kind


def unregister(code):
    """For tests that register a kind of their own."""
    _registry.pop(code, None)


def get(code):
    try:
        return _registry[code]
    except KeyError:
        raise UnknownKind(f"Unknown application kind {code!r}") from None


def find(code):
    """The registered kind, or None for a code no installed app registers (old rows stay readable)."""
    return _registry.get(code)


def all_kinds():
    return list(_registry.values())


def choices():
    """The ``choices`` of ApplicationKind.code: evaluated lazily, after every app has registered."""
    return [(kind.code, kind.label) for kind in _registry.values()]


def detail_template(code):
    """The template of the applicant's detail page; rows of a kind no longer installed still show."""
    kind = find(code)
    return kind.detail_template if kind is not None else DEFAULT_DETAIL_TEMPLATE
