"""The texts of the page's live help (chat with the hotline, requests for a report),
translated into the current language. They join `ui_texts()`; placeholders in braces are
filled in by the page. What the server's state says (queue place, the agent's name, how a
request ended) is worded in `assistant.escalation.texts` and arrives with the state."""

from __future__ import annotations

from assistant.i18n import _


def live_ui_texts() -> dict[str, str]:
    return {
        "nav_help": _("Live help"),
        "help_title": _("Live help from your provider"),
        "help_intro": _("Chat with your provider's hotline."),
        "help_go_sign_in": _("Sign in"),
        "help_new_title": _("Ask a question"),
        # Said before asking only: on a ticket the status line says it.
        "help_new_note": _(
            "If nobody is free, your question is saved and you get the answer here and by e-mail."
        ),
        "help_topic": _("What is it about?"),
        "help_question": _("Your question"),
        "help_question_hint": _("Describe what happens, and since when."),
        "help_start": _("Start chat"),
        "help_starting": _("Starting the chat …"),
        "help_new_question": _("New question"),
        "help_earlier": _("Your conversations"),
        "help_conversation_of": _("{topic}, {date}"),
        "help_messages_label": _("Messages"),
        "help_agent_typing": _("{name} is typing …"),
        "help_someone": _("The hotline"),
        "help_message": _("Your message"),
        "help_send": _("Send"),
        "help_count": _("{count} of {limit} characters"),
        "help_too_long": _(
            "The message is too long: {count} characters. Messages of up to {limit} "
            "characters can be sent."
        ),
        "help_sending": _("Sending …"),
        "help_not_sent": _("Not sent: {reason}"),
        "help_dismiss": _("Remove"),
        "help_attach": _("Attach a file"),
        "help_attach_report": _("Send my report"),
        "help_file_too_large": _("“{name}” is too large. Files up to {limit} can be sent."),
        "help_download": _("Download {name} ({size})"),
        "help_end": _("End chat"),
        "help_ended": _("This conversation has ended. Ask a new question if you need help."),
        "help_ask_again": _("Ask a new question"),
        "help_new_message": _("New message"),
        # An agent's offer of an expert, in the chat
        "offer_title": _("Your agent suggests an expert: {name}"),
        "offer_categories": _("Categories"),
        "offer_languages": _("Languages"),
        "offer_prices": _("Prices"),
        "offer_note": _(
            "If you accept, the expert takes over this chat and sees everything written so "
            "far, your devices and reports. The pre-chat is free: nothing is charged before "
            "you both agree on a paid session."
        ),
        "offer_accept": _("Accept"),
        "offer_decline": _("Decline"),
        "offer_photo_of": _("Photo of {name}"),
        # The consent dialog: the desk words it for the request's kind (a report, ...);
        # these fill it before the first request.
        "consent_title": _("Your provider asks for a report"),
        "consent_items": _("The report holds the results of these checks:"),
        "consent_nothing_else": _(
            "Nothing else is sent: no files, no passwords, no screen. Without your answer "
            "the request ends after two minutes and nothing is sent."
        ),
        "consent_allow": _("Allow and send"),
        "consent_decline": _("Decline"),
        # What the customer shares now, each with a way to stop it
        "grants_title": _("What you share, and with whom"),
        "grants_stop": _("Stop"),
        "grants_stop_label": _("Stop: {what}"),
    }
