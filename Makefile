# The two commands of the README, and the tooling around them.
.PHONY: run test lint i18n setup bench screenshots odoo-tests

run:    ## demo database (French, demo data) and Odoo on http://localhost:8069
	@tools/run.sh

test:   ## every test, browser tours included, in a fresh database
	@tools/test.sh

lint:   ## ruff and pylint-odoo
	@tools/lint.sh

i18n:   ## refresh i18n/client_relationship.pot and merge it into i18n/fr.po
	@tools/i18n.sh

setup:  ## install what is missing, nothing else
	@tools/setup.sh

bench:  ## time the health recompute on 100,000 clients (database built once)
	@tools/bench.sh

screenshots:  ## regenerate static/description/screenshots from the demo database
	@tools/screenshots.sh

odoo-tests:  ## Odoo's own sale tests with the addon and demo data (WITHOUT_ADDON=1: baseline)
	@tools/odoo_tests.sh
