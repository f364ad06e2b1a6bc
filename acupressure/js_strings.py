"""The texts the site's JavaScript shows, for translation (issue 20).

`{% js_strings %}` (acupressure/templatetags/js_strings.py) writes them into every page as JSON
(<script id="js-strings" type="application/json">), in the active language; the scripts in
static/js read them through static/js/strings.js (window.AcupressureStrings.t), which falls back to
the English copy given in the script when the element or the key is missing. Each English text
here must stay exactly the same as that fallback in the script.

Values are named placeholders, "%(count)s", filled in by the script. Texts that depend on a
count come as two keys, "..._one" and "..._other", and the script picks one by the count.
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

STRINGS = {
    # static/js/player.js: the guided routine timer.
    # Translators: The routine timer's progress, e.g. "Step 2 of 6".
    "player_progress": _("Step %(number)s of %(total)s"),
    # Translators: Read out by screen readers at each step, e.g. "Step 2 of 6: BL52 Zhishi, both sides, 60 seconds."
    "player_step": _("Step %(number)s of %(total)s: %(label)s."),
    "player_start": pgettext_lazy("routine timer button", "Start"),
    "player_pause": pgettext_lazy("routine timer button", "Pause"),
    "player_resume": pgettext_lazy("routine timer button", "Resume"),
    # Translators: Read out by screen readers; time is minutes:seconds, e.g. "Paused, 0:42 left on this step."
    "player_paused": _("Paused, %(time)s left on this step."),
    # Translators: Read out by screen readers when the paused routine timer runs again.
    "player_running": _("Running again."),
    "player_finished": _("Routine finished. How is your pain now?"),
    # static/js/insights.js: the insights charts.
    # Translators: Legend of the chart's bars: the 95 percent confidence interval of the relief.
    # xgettext:no-python-format
    "chart_interval": _("95 % interval"),
    "chart_average_relief": _("Average relief"),
    # Translators: Axis title: pain before the session minus pain after it.
    "chart_relief_axis": _("Points of pain relief (before − after)"),
    # Translators: Chart tooltip line, e.g. "Sessions: 12".
    "chart_sessions": _("Sessions: %(count)s"),
    "chart_pain_before": _("Pain before"),
    "chart_pain_after": _("Pain after"),
    "chart_pain_axis": _("Pain (0–10)"),
    # static/js/offline-log.js and offline-queue.js: sessions logged with no connection.
    # Translators: A session waiting on this phone, e.g. "Wed 2 Dec 2026, 18:30: BL23, LI4, pain 6 → 3."
    "offline_waiting_line": _("%(when)s: %(session)s"),
    # Translators: The second half of "Wed 2 Dec 2026, 18:30: BL23, LI4, pain 6 → 3."; points are point codes.
    "offline_points_summary": _("%(points)s, pain %(before)s → %(after)s."),
    # Translators: The second half of "Wed 2 Dec 2026, 18:30: rested, no pressing, pain 6 → 5."
    "offline_rest_summary": _("rested, no pressing, pain %(before)s → %(after)s."),
    # Translators: Before the reason the server gave for refusing a session saved on the phone.
    "offline_problem": _("Not saved in your journal: %(problem)s"),
    "offline_not_accepted": _("The journal did not accept this session."),
    # Translators: Button: remove a refused session from this phone.
    "offline_discard": pgettext_lazy("offline session", "Discard"),
    "offline_log_again": _("Log it again"),
    "offline_waiting": _("Waiting to sync."),
    # Translators: %(fields)s is one or more of the three texts that follow, joined with "and".
    "offline_missing": _("No connection, and not saved yet: choose %(fields)s."),
    # Translators: “I only rested” is the label of a checkbox on the log form.
    "offline_missing_points": _("the points you pressed (or “I only rested”)"),
    "offline_missing_pain_before": _("your pain before"),
    "offline_missing_pain_after": _("your pain after"),
    # Translators: Joins the missing fields, e.g. "your pain before and your pain after".
    "offline_missing_join": _("%(first)s and %(second)s"),
    "offline_saved_here": _(
        "No connection, so this session is saved on this phone. It goes to your journal when you are back online."
    ),
    "offline_sent_one": _("%(count)s session saved on this phone is now in your journal."),
    "offline_sent_other": _("%(count)s sessions saved on this phone are now in your journal."),
    # Translators: Link that reloads the journal to show the one session just sent.
    "offline_show_one": _("Show it"),
    # Translators: Link that reloads the journal to show the sessions just sent.
    "offline_show_other": _("Show them"),
    # static/js/push.js: the push reminders switch on the settings page.
    "push_unsupported": _(
        "This browser cannot show push reminders. E-mail reminders and the calendar below still work."
    ),
    "push_checking": _("Checking this browser…"),
    "push_turn_off": _("Turn off push reminders"),
    "push_turn_on": _("Turn on push reminders"),
    "push_on": _("Push reminders are on in this browser."),
    "push_blocked": _(
        "Notifications are blocked for this site in this browser's settings. Allow them there to get push reminders."
    ),
    "push_off": _("Push reminders are off in this browser."),
    "push_no_worker": _("The site's service worker is not running in this browser."),
    # Translators: %(status)s is an HTTP status code, e.g. 403.
    "push_not_accepted": _("The server did not accept it (%(status)s)."),
    # Translators: %(error)s is a sentence saying what went wrong.
    "push_failed": _("That did not work: %(error)s E-mail reminders and the calendar still work."),
}


def evaluated():
    """The texts in the active language, as plain strings for JSON."""
    return {key: str(text) for key, text in STRINGS.items()}
