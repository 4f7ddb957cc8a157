"""The texts of the page's premium parts (sign-in, unlock code, cleanup), translated into
the current language. They join `ui_texts()`, so the page reads them like all others;
placeholders in braces are filled in by the page."""

from __future__ import annotations

from assistant.i18n import _


def premium_ui_texts() -> dict[str, str]:
    return {
        "nav_premium": _("Premium"),
        "nav_cleanup": _("Clean up"),
        # The premium page
        "premium_title": _("Premium"),
        "premium_intro": _(
            "Premium adds checks of your computer and its security, and a cleanup that "
            "frees up space."
        ),
        "premium_state_free": _("Free version"),
        "premium_state_active": _("Premium is active"),
        "premium_package": _("Your package: {tier}"),
        "premium_via": _("Unlocked by: {sources}"),
        "premium_until": _("Valid until {date}"),
        "premium_offline": _(
            "The server of your internet provider cannot be reached right now. The assistant "
            "works with what it already knows."
        ),
        "premium_go_unlock": _("Unlock Premium"),
        "premium_features_title": _("What Premium includes"),
        "feature_allowed": _("Unlocked"),
        "feature_locked": _("Locked"),
        # Signing in
        "sign_in_title": _("Sign in"),
        "account_title": _("Your customer account"),
        "sign_in_intro": _(
            "Link this computer to your customer account. Premium from your subscription "
            "then works here."
        ),
        "sign_in_account": _("Customer number"),
        "sign_in_with": _("How would you like to sign in?"),
        "sign_in_with_password": _("With my password"),
        "sign_in_with_code": _("With the activation code from my letter"),
        "sign_in_password": _("Password"),
        "sign_in_code": _("Activation code"),
        "sign_in_device": _("Name of this computer"),
        "sign_in_device_hint": _("So you recognise it in the list of your computers."),
        "sign_in_server": _("Address of your internet provider's server"),
        "sign_in_button": _("Sign in"),
        "signing_in": _("Signing in …"),
        "signed_in_as": _("Signed in as {name}, customer number {account}"),
        "this_computer": _("This computer: {name}"),
        "sign_out_button": _("Sign out and unlink this computer"),
        "sign_out_hint": _(
            "This frees its place on your customer account, so you can link another computer."
        ),
        "signing_out": _("Unlinking …"),
        # Full places: releasing one of the customer's computers for this one
        "release_title": _("Your linked computers"),
        "release_button": _("Release “{name}”"),
        "release_question": _(
            "Release “{name}”? It will be unlinked from your customer account and this "
            "computer takes its place."
        ),
        "release_yes": _("Yes, release it"),
        "release_no": _("Cancel"),
        "releasing": _("Releasing …"),
        # Unlock codes
        "unlock_title": _("Enter unlock code"),
        "unlock_intro": _(
            "Did the hotline read you a code? Type its 8 digits here. Premium is unlocked at "
            "once, until you close the assistant."
        ),
        "unlock_needs_sign_in": _(
            "A code belongs to your customer account: please sign in above first."
        ),
        "unlock_label": _("Unlock code (8 digits)"),
        "unlock_button": _("Unlock"),
        "unlocking": _("Checking the code …"),
        # Cleanup
        "cleanup_title": _("Clean up"),
        "cleanup_intro": _(
            "Removes temporary files and the caches of your web browsers to free up space. "
            "First you see what would be removed: nothing is deleted until you confirm."
        ),
        "cleanup_scan": _("Look for files to clean up"),
        "cleanup_scanning": _("Looking for files …"),
        "cleanup_found": _("{size} can be freed."),
        "cleanup_nothing": _("There is nothing to clean up right now."),
        "cleanup_choose": _("Choose what to clean up"),
        "cleanup_files": _("Files: {count} · {size}"),
        "cleanup_kept": _("Kept ({count}): {reason}"),
        "cleanup_stay": _("Left alone ({count}): {reason}"),
        "cleanup_where": _("Folder: {location}"),
        "cleanup_confirm": _("Clean up the chosen places"),
        "cleanup_none_chosen": _("Please choose at least one place."),
        "cleanup_running": _("Cleaning up …"),
        "cleanup_progress": _("Files: {done} of {total}"),
        "cleanup_done": _("Done: {size} freed"),
        "cleanup_deleted": _("Deleted files: {count} · freed: {size}"),
        "cleanup_left_alone": _("Files left alone: {count}"),
        "cleanup_skipped_title": _("Left alone, and why"),
        "cleanup_show_files": _("Show the files ({count})"),
        "cleanup_more_skipped": _("… and {count} more."),
        "cleanup_again": _("Look again"),
        "cleanup_failed": _("The cleanup stopped. Please look again."),
    }
