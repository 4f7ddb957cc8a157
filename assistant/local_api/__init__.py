"""The local web app on 127.0.0.1: the page, its JSON API and event stream, and the guard
that lets only the assistant's own page in.

Routes (all behind `security.LocalGuard`):

    GET  /                      the page (`/?token=...` trades the launch secret for a cookie)
    GET  /static/...            its styles, script, icon and Chart.js
    GET  /api/events            the current run as Server-Sent Events
    GET  /api/state             the same as one snapshot, plus language, mode, premium state
    POST /api/run               check again
    GET  /api/texts             the page's texts in the current language
    GET  /api/settings          language, server address, whether the device is linked
    POST /api/settings          change language and/or server address
    POST /api/quick-links/{id}  open a settings page of the system (the computer's
                                settings are premium: 403 while locked)
    GET  /api/history           the numbers for the history charts
    GET  /api/report            the finished report (JSON)
    GET  /api/report/export     the report as a download (?format=html|pdf)
    POST /api/report/save       the report into the Downloads folder (for the window)
    GET  /api/window/text/{id}  an element's text read from the desktop window's page
    POST /api/quit              close the assistant

Premium (`premium_api`, `cleanup_api`; every premium action passes the gate, 403 when
locked):

    GET  /api/premium           what is unlocked and why not, the account, the features
    POST /api/premium/sign-in   link this computer (customer number and password or
                                activation code)
    POST /api/premium/unlock    an unlock code from the hotline (offline code when the
                                server cannot be reached)
    POST /api/premium/sign-out  unlink this computer
    GET  /api/checks/{id}       one check's result (premium checks behind the gate)
    POST /api/cleanup/preview   what cleanup would remove, per place
    POST /api/cleanup/run       delete in the chosen places of a preview (by ids)
    GET  /api/cleanup/progress  how far the deletion is
    GET  /api/cleanup/report    what was freed, and what was left alone and why
"""
