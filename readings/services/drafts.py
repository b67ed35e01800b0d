"""Photos attached to a readings form that is not submitted yet (issue #9, item 2).

Each accepted upload is checked and re-encoded at once (only safe files are ever stored), kept as
a PhotoDraft of the user and the form's idempotency key, and shown again on the next page; only a
line whose photo was refused asks for it again.
"""

import datetime
import os

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from portal.uploads import PixelBudget, check_upload, reencode
from readings.models import PhotoDraft

# Long enough to finish a form interrupted on a phone, short enough not to keep photos nobody sent.
DRAFT_HOURS = 24
# A user's drafts over all his open forms (20 lines each): beyond it the oldest go, so that new
# form keys posted in a loop cannot fill the private storage before the purge.
MAX_DRAFTS_PER_USER = 60


def drafts_of_form(*, tenant, user, form_key):
    """The form's drafts by line index (an empty dict without a key)."""
    if not form_key:
        return {}
    drafts = PhotoDraft.objects.for_tenant(tenant).filter(user=user, form_key=form_key)
    return {draft.line_index: draft for draft in drafts}


def _delete_file_on_commit(file):
    name, storage = file.name, file.storage
    if name:
        transaction.on_commit(lambda: storage.delete(name))


def keep_uploads(*, tenant, user, form_key, files, prefix, max_lines):
    """Check every photo posted with the form and keep each accepted one as the line's draft,
    replacing the draft it had. Returns (drafts by line index, refusals by line index)."""
    refused = {}
    if not form_key:
        # No form to tie them to (an expired or forged form, which the page reports): nothing is
        # decoded or kept, so a request without a valid key costs no decoding.
        return {}, refused
    budget = PixelBudget()  # one budget for the request, as when the photos were decoded at the end
    for index in range(max_lines):
        upload = files.get(f"{prefix}-{index}-photo")
        if not upload:
            continue
        try:
            stored = reencode(check_upload(upload), budget=budget)
        except ValidationError as error:
            refused[index] = error
            continue
        original_name = os.path.basename(upload.name or "")[:200] or stored.name
        with transaction.atomic():
            previous = PhotoDraft.objects.for_tenant(tenant).filter(user=user, form_key=form_key, line_index=index)
            for draft in previous:
                _delete_file_on_commit(draft.file)
            previous.delete()
            PhotoDraft.objects.create(
                tenant=tenant, user=user, form_key=form_key, line_index=index, file=stored, original_name=original_name
            )
            _drop_beyond_the_cap(tenant=tenant, user=user)
    return drafts_of_form(tenant=tenant, user=user, form_key=form_key), refused


def _drop_beyond_the_cap(*, tenant, user):
    mine = PhotoDraft.objects.for_tenant(tenant).filter(user=user).order_by("-created_at", "-pk")
    oldest = list(mine[MAX_DRAFTS_PER_USER:])
    for draft in oldest:
        _delete_file_on_commit(draft.file)
    PhotoDraft.objects.filter(pk__in=[draft.pk for draft in oldest]).delete()


def remove_draft(*, tenant, user, form_key, line_index):
    with transaction.atomic():
        drafts = PhotoDraft.objects.for_tenant(tenant).filter(user=user, form_key=form_key, line_index=line_index)
        for draft in drafts:
            _delete_file_on_commit(draft.file)
        drafts.delete()


def consume_drafts(*, tenant, user, form_key):
    """Forget the form's drafts once submitted: their files are now the lines' photos (kept), the
    drafts of lines that were not submitted go with their files. Call inside the submission's
    transaction."""
    drafts = PhotoDraft.objects.for_tenant(tenant).filter(user=user, form_key=form_key)
    from readings.models import SubmittedReading

    used = set(
        SubmittedReading.objects.filter(tenant=tenant, photo__in=[draft.file.name for draft in drafts]).values_list(
            "photo", flat=True
        )
    )
    for draft in drafts:
        if draft.file.name not in used:
            _delete_file_on_commit(draft.file)
    drafts.delete()


def purge_stale_drafts(*, now=None):
    """Remove drafts older than DRAFT_HOURS with their files; safe to run twice. Returns how many."""
    cutoff = (now or timezone.now()) - datetime.timedelta(hours=DRAFT_HOURS)
    count = 0
    with transaction.atomic():
        stale = PhotoDraft.objects.select_for_update().filter(created_at__lt=cutoff)
        for draft in stale:
            _delete_file_on_commit(draft.file)
            count += 1
        PhotoDraft.objects.filter(pk__in=[draft.pk for draft in stale]).delete()
    return count
