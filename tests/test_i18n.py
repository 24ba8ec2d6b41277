from pathlib import Path

import polib

from odoo.tests import BaseCase, TransactionCase, tagged
from odoo.tools.translate import TranslationModuleReader

I18N = Path(__file__).parent.parent / "i18n"


@tagged("post_install", "-at_install")
class TestFrenchTranslation(BaseCase):
    def test_every_term_is_translated_in_french(self):
        template = polib.pofile(I18N / "client_relationship.pot")
        french = {(e.msgctxt, e.msgid): e for e in polib.pofile(I18N / "fr.po")}
        self.assertTrue(len(template), "the .pot has no term: export it with `make i18n`")
        missing = [e.msgid for e in template if (e.msgctxt, e.msgid) not in french]
        self.assertFalse(missing, "terms of the .pot absent from fr.po (run `make i18n`)")
        untranslated = [
            e.msgid for e in french.values() if not e.obsolete and (e.fuzzy or not e.msgstr)
        ]
        self.assertFalse(untranslated, "fuzzy or empty French translations")

    def test_button_reads_mettre_fin_a_la_relation(self):
        french = {e.msgid: e.msgstr for e in polib.pofile(I18N / "fr.po")}
        self.assertEqual(french["End Relationship"], "Mettre fin à la relation")


@tagged("post_install", "-at_install")
class TestTranslationsAreUpToDate(TransactionCase):
    def test_every_term_of_the_installed_addon_is_in_fr_po(self):
        reader = TranslationModuleReader(self.env.cr, modules=["client_relationship"])
        terms = {source for __, __, __, __, source, __, __ in reader}
        french = {entry.msgid for entry in polib.pofile(I18N / "fr.po") if entry.msgstr}
        self.assertGreater(len(terms), 400)
        self.assertFalse(
            sorted(terms - french), "new terms not translated in fr.po: run `make i18n`"
        )
