"""The texts of the page's Experts tab (finding an expert and starting a free pre-chat),
in the current language. They join `ui_texts()`; placeholders in braces are filled in by
the page. What the server says of an expert (prices, languages, status) arrives written
by the local API (`assistant.local_api.experts_api`)."""

from __future__ import annotations

from assistant.i18n import _


def experts_ui_texts() -> dict[str, str]:
    return {
        "nav_experts": _("Experts"),
        "experts_title": _("Ask an expert"),
        "experts_intro": _(
            "When the hotline is not enough: independent experts help you, paid by the "
            "minute or per session. The first chat with an expert is free."
        ),
        "experts_categories": _("Categories"),
        "experts_all": _("All experts"),
        "experts_search_label": _("Search for experts"),
        "experts_search_hint": _("For example: router, printer, backup"),
        "experts_search": _("Search"),
        "experts_results": _("Experts"),
        "experts_results_in": _("Experts for “{name}”"),
        "experts_results_for": _("Experts for “{query}”"),
        "experts_none": _("No expert found. Try another category or other words."),
        "experts_loading": _("Loading …"),
        "experts_open": _("View profile of {name}"),
        "experts_back": _("Back to the list"),
        "experts_speaks": _("Speaks"),
        "experts_prices": _("Prices"),
        "experts_rating": _("Ratings"),
        "experts_no_rating": _("No ratings yet"),
        "experts_about": _("About"),
        "experts_qualifications": _("Qualifications"),
        "experts_experience": _("Experience"),
        "experts_written_in": _("Written in {language}"),
        "experts_photo_of": _("Photo of {name}"),
        "experts_your_question": _("Your question to {name}"),
        "experts_question_hint": _("Describe what you need help with."),
        "experts_starting": _("Sending …"),
        "appointments_title": _("Your appointments with experts"),
        "appointments_accept": _("Accept"),
        "appointments_decline": _("Decline"),
        "appointments_cancel": _("Cancel appointment"),
        "appointments_accept_label": _("Accept the appointment with {name} on {when}"),
        "appointments_decline_label": _("Decline the appointment with {name} on {when}"),
        "appointments_cancel_label": _("Cancel appointment: {name}, {when}"),
        "appointments_duration": _("Duration"),
        "appointments_terms": _("Terms"),
        "ratings_title": _("Rate your sessions"),
        "ratings_intro": _(
            "You and the expert rate each other. Neither sees the other's rating before "
            "both have rated. Your rating helps other customers choose."
        ),
        "ratings_stars": _("Stars"),
        "ratings_star_one": _("1 star"),
        "ratings_star_many": _("{count} stars"),
        "ratings_text_label": _("What went well, what could be better? (optional)"),
        "ratings_text_hint": _("At most {limit} characters."),
        "ratings_choose_stars": _("Choose between 1 and 5 stars."),
        "ratings_send": _("Send rating"),
        "ratings_sending": _("Sending …"),
        "reviews_title": _("What customers say"),
        "reviews_order": _(
            "Ratings of paid sessions, the most helpful first. Was a rating helpful to you?"
        ),
        "reviews_by_topic": _("By topic"),
        "reviews_helpful": _("Helpful"),
        "reviews_not_helpful": _("Not helpful"),
        "reviews_helpful_label": _("{rating}: helpful"),
        "reviews_not_helpful_label": _("{rating}: not helpful"),
        "invoices_title": _("Your invoices for expert help"),
        "invoices_download": _("Download PDF"),
        "invoices_download_label": _("Download PDF: {title}"),
        "invoices_expert": _("Expert"),
        "invoices_date": _("Date"),
        "invoices_saved_to": _("The invoice was saved to {path}"),
        "invoices_dispute": _("Dispute this charge"),
        "invoices_dispute_label": _("Dispute this charge: {title}"),
        "invoices_dispute_reason": _("What is wrong with this charge?"),
        "invoices_dispute_hint": _(
            "Your provider checks it and answers here. If you are right, you get the money "
            "back with a correcting invoice."
        ),
        "invoices_dispute_send": _("Send dispute"),
        "invoices_dispute_cancel": _("Cancel"),
        "appointments_zone": _("({zone})"),
        "appointments_in_conversation": _("Appointments in this conversation"),
        "appointments_notices": _("Notices of your appointments"),
        "appointments_notice_open": _("Show"),
        "appointments_notice_open_label": _("Show the conversation: {text}"),
        "appointments_notice_dismiss": _("Dismiss"),
        "appointments_notice_dismiss_label": _("Dismiss the notice: {text}"),
    }
