"""Every text the page shows, translated into the current language.

The page receives this dict once (rendered into it) and never holds texts of its own, so
the German catalogue `assistant.po` stays the one place for translations. Placeholders in
braces (`{done}`) are filled in by the page. The area names are the diagnostics
package's category titles, so the report, the terminal and the page use the same words.
"""

from __future__ import annotations

from assistant.diagnostics.catalogue import CATEGORY_TITLES
from assistant.i18n import _
from assistant.ui.experts_texts import experts_ui_texts
from assistant.ui.knowledge_texts import knowledge_ui_texts
from assistant.ui.live_texts import live_ui_texts
from assistant.ui.premium_texts import premium_ui_texts
from assistant.verdict import LIGHT_WORDS, light_word


def ui_texts() -> dict[str, str]:
    return {
        "app_title": _("Internet Assistant"),
        "app_subtitle": _("Checks your computer and connection"),
        "skip_to_content": _("Skip to content"),
        "nav_label": _("Sections"),
        "nav_dashboard": _("Overview"),
        "nav_history": _("History"),
        "language_label": _("Language"),
        "check_again": _("Check again"),
        "save_html": _("Save report"),
        "save_pdf": _("Save as PDF"),
        "quit": _("Close assistant"),
        "closed": _("The assistant has been closed. You can close this page."),
        "overall_running": _("Checking your computer and connection …"),
        "overall_running_text": _("This takes a few seconds. Results appear as they come in."),
        "overall_ok": _("Everything is fine"),
        "overall_ok_text": _("We found no problems with your computer or your connection."),
        "overall_warning": _("Some things need your attention"),
        "overall_warning_text": _(
            "Nothing is broken, but some things could work better. Open them below to see "
            "what to do."
        ),
        "overall_critical": _("We found a problem"),
        "overall_critical_text": _(
            "Something keeps your computer or connection from working properly. Open it "
            "below to see how to fix it."
        ),
        **{f"light_{light}": light_word(light) for light in LIGHT_WORDS},
        "progress": _("{done} of {total} checks done"),
        "not_checked_note": _("Checks that could not be done on this computer: {count}"),
        "checked_at": _("Checked on {date}"),
        **{f"area_{category.value}": _(title) for category, title in CATEGORY_TITLES.items()},
        "area_empty": _("No checks in this area."),
        "status_ok": _("OK"),
        "status_info": _("Note"),
        "status_warning": _("Needs attention"),
        "status_critical": _("Problem"),
        "status_unknown": _("Could not check"),
        "status_timed_out": _("Took too long"),
        "status_pending": _("Waiting"),
        "status_locked": _("Premium"),
        "what_it_means": _("What this means"),
        "what_to_do": _("What you can do"),
        "opening_settings": _("The settings are opening in a separate window."),
        "no_settings_page": _(
            "This computer has no settings page for this. Please follow the steps above."
        ),
        "quick_link_network": _("Open network settings"),
        "quick_link_wifi": _("Open Wi-Fi settings"),
        "quick_link_mail": _("Open e-mail account settings"),
        "quick_link_storage": _("Open storage settings"),
        "quick_link_power": _("Open power settings"),
        "quick_link_task_manager": _("Open the task manager"),
        "quick_link_firewall": _("Open firewall settings"),
        "quick_link_antivirus": _("Open virus protection"),
        "quick_link_updates": _("Open system updates"),
        "quick_link_accounts": _("Open user accounts"),
        "premium_badge": _("Premium"),
        "premium_locked": _("Included in Premium"),
        "premium_would_show": _("What it shows: {description}"),
        "premium_unlock": _("Ask your hotline for a one-time code, or subscribe to Premium."),
        "history_title": _("History"),
        "history_intro": _("How your computer and connection did in the last checks."),
        "history_empty": _("No reports yet. They appear here after each check."),
        "history_reports": _("Reports: {count}"),
        "chart_cpu": _("Processor load (%)"),
        "chart_memory": _("Memory in use (%)"),
        "chart_disk": _("Disk space used (%)"),
        "chart_latency": _("Internet response time (ms)"),
        "saved_to": _("The report was saved to {path}"),
        "save_wait": _("Please wait until all checks are done, then save the report."),
        "save_failed": _("The report could not be saved. Please try again."),
        "error_generic": _("Something went wrong. Please try again."),
        "connection_lost": _("The assistant is not answering. Please close it and start it again."),
        "provider_hotline": _("Hotline"),
        "provider_call": _("Your provider's hotline:"),
        **premium_ui_texts(),
        **live_ui_texts(),
        **knowledge_ui_texts(),
        **experts_ui_texts(),
    }
