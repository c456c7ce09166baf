from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        # Set before the first save: the display name is unique and never blank.
        user.display_name = form.cleaned_data["display_name"]
        return super().save_user(request, user, form, commit=commit)
