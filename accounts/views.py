from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts import selectors, services
from accounts.forms import AvatarForm, DeliveryForm, DisplayNameForm, ProfileForm
from accounts.models import User
from core.forms import FilterForm
from core.pagination import paginate
from notifications.services import delivery_settings_set

PER_PAGE = 20
DIRECTORY_PER_PAGE = 30
# The lists a profile shows, by the value of ?show=; the first is the default.
PROFILE_LISTS = {"questions": selectors.member_questions, "answers": selectors.member_answers}


@require_safe
def directory(request: HttpRequest) -> HttpResponse:
    """The members the viewer may find (selectors.listed_members), by name, filtered by ?q=.
    A junk filter is answered with 400 and its error, no list."""
    form = FilterForm(request.GET)
    context = {"form": form, "page": None}
    if not form.is_valid():
        return render(request, "accounts/directory.html", context, status=400)
    q = form.cleaned_data["q"]
    page = paginate(
        request, selectors.member_directory(viewer=request.user, q=q), per_page=DIRECTORY_PER_PAGE
    )
    for member in page:
        member.visible = selectors.profile_visible_fields(member=member, viewer=request.user)
    return render(request, "accounts/directory.html", context | {"page": page, "q": q})


@require_safe
def profile(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        member = selectors.member_profile(pk=pk)
    except User.DoesNotExist:
        raise Http404 from None
    show = request.GET.get("show", "")
    if show not in PROFILE_LISTS:
        show = next(iter(PROFILE_LISTS))
    page = paginate(request, PROFILE_LISTS[show](user=member), per_page=PER_PAGE)
    context = {
        "member": member,
        "is_owner": request.user.pk == member.pk,
        "visible": selectors.profile_visible_fields(member=member, viewer=request.user),
        "role_labels": selectors.member_role_labels(user=member),
        "show": show,
        "page": page,
    }
    return render(request, "accounts/profile.html", context)


def _settings_page(request: HttpRequest, **forms) -> HttpResponse:
    """The settings page with any bound (invalid) form in place of its blank one."""
    user = request.user
    context = {
        "form": DisplayNameForm(user=user, initial={"display_name": user.display_name}),
        "profile_form": ProfileForm(instance=user),
        "avatar_form": AvatarForm(),
        "delivery_form": DeliveryForm(
            initial={"language": user.language, "time_zone": user.time_zone}
        ),
        **forms,
    }
    return render(request, "accounts/settings.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def member_settings(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _settings_page(request)
    if request.POST.get("section") == "delivery":
        return _delivery_save(request)
    form = DisplayNameForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            services.display_name_change(
                user=request.user, display_name=form.cleaned_data["display_name"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your display name has been changed."))
            return redirect("accounts:settings")
    return _settings_page(request, form=form)


def _delivery_save(request: HttpRequest) -> HttpResponse:
    form = DeliveryForm(request.POST)
    if not form.is_valid():
        return _settings_page(request, delivery_form=form)
    delivery_settings_set(user=request.user, **form.cleaned_data)
    messages.success(request, _("Your email settings have been saved."))
    return redirect("accounts:settings")


@login_required
@require_POST
def profile_edit(request: HttpRequest) -> HttpResponse:
    # A copy: an invalid form must not leave half-changed values on request.user.
    form = ProfileForm(request.POST, instance=User(pk=request.user.pk))
    if not form.is_valid():
        return _settings_page(request, profile_form=form)
    services.profile_update(user=request.user, **form.cleaned_data)
    messages.success(request, _("Your profile has been saved."))
    return redirect("accounts:settings")


@login_required
@require_POST
def avatar_upload(request: HttpRequest) -> HttpResponse:
    form = AvatarForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.avatar_set(user=request.user, upload=form.cleaned_data["avatar"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your picture has been changed."))
            return redirect("accounts:settings")
    return _settings_page(request, avatar_form=form)


@login_required
@require_POST
def avatar_remove(request: HttpRequest) -> HttpResponse:
    services.avatar_remove(user=request.user)
    messages.success(request, _("Your picture has been removed."))
    return redirect("accounts:settings")
