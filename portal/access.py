"""Who may download a private file: one rule for invoices, reading photos, application
attachments, contract documents and report PDFs.

A file may be downloaded by its owner — the caller decides what owning means for the object
(the applicant, a user given the account, a member of the organization) and passes ``owned`` —
or by staff of the object's tenant: ``is_staff``, verified with a second factor in this session
(django-otp's ``request.user.is_verified()``; a password-only session is not enough, superusers
included) and, when their membership is limited to some branches, only for an object of one of
them. Everyone else gets a 404, never a 403: the answer must not tell that the file exists.
"""

from django.http import Http404

from portal.admin_site import staff_scope


def is_verified_staff(request):
    """Staff who passed the second factor in this session (the admin's TOTP or backup code)."""
    user = request.user
    return bool(user.is_authenticated and user.is_active and user.is_staff and user.is_verified())


def staff_may_access(request, *, tenant, branch):
    """Verified staff of ``tenant`` allowed for ``branch`` (a Branch, its id, or None).

    A membership without branches covers the whole tenant; one limited to some branches does not
    cover an object of another branch nor one without a branch (as the admin's scoped querysets).
    """
    if not is_verified_staff(request):
        return False
    if request.user.is_superuser:
        return True
    tenant_id = getattr(tenant, "pk", tenant)
    branch_id = getattr(branch, "pk", branch)
    scope = staff_scope(request)
    if tenant_id not in scope:
        return False
    branch_ids = scope[tenant_id]
    return not branch_ids or branch_id in branch_ids


def can_download(request, *, tenant, branch, owned):
    """The owner (``owned``: the caller's check that the user holds the object), or verified staff
    of ``tenant`` allowed for ``branch``."""
    return bool(owned) or staff_may_access(request, tenant=tenant, branch=branch)


def require_download(request, *, tenant, branch, owned):
    """``can_download`` or a 404 (no existence oracle: the same answer as a missing file)."""
    if not can_download(request, tenant=tenant, branch=branch, owned=owned):
        raise Http404
