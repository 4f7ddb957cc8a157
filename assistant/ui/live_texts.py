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
        # A paid session with the expert (what changes comes worded with the session)
        "session_ask": _("Ask for a paid session"),
        "session_ask_terms": _("How would you like to pay?"),
        "session_terms_per_minute": _("Per minute"),
        "session_terms_fixed": _("Fixed price"),
        "session_ask_note": _(
            "The expert sees your request. Nothing is charged until you confirm the terms "
            "and a maximum amount."
        ),
        "session_ask_send": _("Send request"),
        "session_maximum": _("Your maximum amount"),
        "session_confirm": _("Confirm and start"),
        "session_decline": _("Decline"),
        "session_used": _("Amount so far"),
        "session_time": _("Time"),
        "session_maximum_shown": _("Your maximum"),
        "session_left": _("Left"),
        "session_used_label": _("Share of your maximum used"),
        "session_resume": _("Resume"),
        "session_raise_by": _("Raise the maximum by"),
        "session_raise": _("Raise"),
        "session_pause": _("Pause"),
        "session_end": _("End session"),
        "session_end_question": _("End the paid session now? You pay for the time so far."),
        "session_end_yes": _("Yes, end it"),
        "session_end_no": _("No, go on"),
        "session_row_time": _("Time"),
        "session_row_amount": _("Amount"),
        "session_row_waived": _("Waived by the expert"),
        "session_row_tip": _("Tip"),
        "session_row_total": _("Total"),
        "session_tip": _("Would you like to give a tip? (optional)"),
        "session_tip_hint": _("The tip goes to the expert in full."),
        "session_tip_send": _("Give tip"),
        "session_tip_skip": _("No, thanks"),
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
        # Screen sharing: the dialog's window list, the indicator, the list of what was
        # shared, the privacy list
        "consent_pick_window": _("Please choose one of the windows in the list."),
        "share_indicator_title": _("Screen sharing"),
        "share_idle": _("Your screen is not shared."),
        "share_now_title": _("Your screen is shared"),
        "share_stop": _("Stop sharing"),
        "share_take_back": _("Take back control"),
        "share_shortcut": _("Shortcut: Ctrl+Shift+X stops sharing and control at once."),
        "share_windows_title": _("Hide a window from the picture"),
        "share_hide": _("Hide"),
        "share_show": _("Show"),
        "share_hide_label": _("Hide “{title}”"),
        "share_show_label": _("Show “{title}” again"),
        "share_hidden_badge": _("hidden"),
        "share_send_report": _("Send a diagnostics report instead"),
        "share_dismiss": _("OK"),
        "share_history_title": _("What you shared, and with whom"),
        "share_history_note": _(
            "Every request to see your screen or to control your computer, on this "
            "computer and your others, with your answer."
        ),
        "share_history_empty": _("Nobody has asked to see your screen yet."),
        "share_col_what": _("What"),
        "share_col_who": _("Who asked"),
        "share_col_asked": _("Asked"),
        "share_col_answer": _("Your answer"),
        "share_col_stopped": _("Ended"),
        "share_privacy_title": _("Privacy while sharing your screen"),
        "share_privacy_label": _("Windows that are always blacked out"),
        "share_privacy_hint": _(
            "One title per line: every window whose title contains it is blacked out in "
            "the picture, e.g. your banking or your password manager."
        ),
        "share_privacy_save": _("Save list"),
        "share_privacy_defaults": _("Use the assistant's list"),
        "share_privacy_saved": _("The list is saved."),
    }
