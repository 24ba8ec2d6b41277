"""pytest plugin: a skipped test fails the run.

Odoo skips browser tours when Chromium or websocket-client is missing, and
pytest-odoo skips HttpCase without --odoo-http: here that must be red.
"""


def pytest_sessionfinish(session, exitstatus):
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter and reporter.stats.get("skipped") and exitstatus == 0:
        session.exitstatus = 1


def pytest_terminal_summary(terminalreporter):
    skipped = terminalreporter.stats.get("skipped")
    if skipped:
        terminalreporter.write_line(
            f"{len(skipped)} test(s) skipped: a skip is a failure here "
            "(missing Chromium, websocket-client or wkhtmltopdf?)",
            red=True,
            bold=True,
        )
