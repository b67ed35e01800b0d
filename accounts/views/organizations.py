"""Organizations (legal entities) and their members. Every object is fetched together with the
condition that the current user is a member (or owner) of it, so strangers get 404."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import services
from accounts.forms import InvitationForm, MemberRoleForm, OrganizationForm
from accounts.models import OrganizationInvitation, OrganizationMembership

Role = OrganizationMembership.Role


def _membership_or_404(request, pk, *, owner=False):
    conditions = {"organization_id": pk, "user": request.user}
    if owner:
        conditions["role"] = Role.OWNER
    return get_object_or_404(OrganizationMembership.objects.select_related("organization"), **conditions)


@login_required
def organizations(request):
    memberships = OrganizationMembership.objects.filter(user=request.user).select_related("organization")
    return render(request, "accounts/organizations.html", {"memberships": memberships.order_by("organization__name")})


@login_required
def organization_create(request):
    tenant = getattr(request, "tenant", None)
    form = OrganizationForm(request.POST or None, country_code=tenant.country_code if tenant else None)
    if request.method == "POST" and form.is_valid():
        try:
            organization = services.create_organization(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error("tax_number", error)
        else:
            messages.success(request, _("The organization is registered. You are its owner."))
            return redirect("accounts:organization_detail", pk=organization.pk)
    return render(request, "accounts/organization_form.html", {"form": form})


@login_required
def organization_detail(request, pk):
    membership = _membership_or_404(request, pk)
    organization = membership.organization
    members = organization.memberships.select_related("user").order_by("user__full_name")
    is_owner = membership.role == Role.OWNER
    context = {
        "organization": organization,
        "membership": membership,
        "is_owner": is_owner,
        "members": [
            (member, MemberRoleForm(initial={"role": member.role}, prefix=f"m{member.pk}")) for member in members
        ],
        "invitations": (
            organization.invitations.filter(accepted_at__isnull=True, created_at__gt=_invitation_cutoff())
            if is_owner
            else []
        ),
    }
    return render(request, "accounts/organization_detail.html", context)


def _invitation_cutoff():
    return timezone.now() - timedelta(days=OrganizationInvitation.VALID_DAYS)


@login_required
def organization_invite(request, pk):
    membership = _membership_or_404(request, pk, owner=True)
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.invite_member(
                organization=membership.organization,
                invited_by=request.user,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                tenant=request.tenant,
                absolute_url=request.build_absolute_uri,
                language=get_language(),
            )
        except ValidationError as error:
            form.add_error("email", error)
        else:
            messages.success(
                request, _("An invitation has been sent to %(email)s.") % {"email": form.cleaned_data["email"]}
            )
            return redirect("accounts:organization_detail", pk=pk)
    return render(request, "accounts/organization_invite.html", {"form": form, "organization": membership.organization})


def _member_or_404(request, pk, member_pk):
    owner = _membership_or_404(request, pk, owner=True)
    member = get_object_or_404(
        OrganizationMembership.objects.select_related("organization", "user"), pk=member_pk, organization_id=pk
    )
    return owner, member


@login_required
@require_POST
def organization_member_role(request, pk, member_pk):
    _owner, member = _member_or_404(request, pk, member_pk)
    form = MemberRoleForm(request.POST, prefix=f"m{member.pk}")
    if not form.is_valid():
        messages.error(request, _("Choose a role."))
        return redirect("accounts:organization_detail", pk=pk)
    try:
        services.change_member_role(membership=member, role=form.cleaned_data["role"], by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The role of %(name)s is changed.") % {"name": member.user})
    return redirect("accounts:organization_detail", pk=pk)


@login_required
@require_POST
def organization_member_remove(request, pk, member_pk):
    _owner, member = _member_or_404(request, pk, member_pk)
    try:
        services.remove_member(membership=member, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("accounts:organization_detail", pk=pk)
    messages.success(request, _("%(name)s is no longer a member.") % {"name": member.user})
    if member.user_id == request.user.pk:
        return redirect("accounts:organizations")
    return redirect("accounts:organization_detail", pk=pk)


@login_required
def accept_invitation(request, token):
    invitation = get_object_or_404(
        OrganizationInvitation.objects.select_related("organization", "invited_by"), token=token
    )
    error = None
    if request.method == "POST":
        try:
            services.accept_invitation(token=token, user=request.user)
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            messages.success(
                request, _("You have joined %(organization)s.") % {"organization": invitation.organization}
            )
            return redirect("accounts:organization_detail", pk=invitation.organization_id)
    context = {"invitation": invitation, "error": error}
    return render(request, "accounts/accept_invitation.html", context)
