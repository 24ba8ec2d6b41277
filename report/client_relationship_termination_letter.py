from odoo import api, models
from odoo.tools import format_amount

from ..models.client_relationship_contract import format_notice


class ReportTerminationLetter(models.AbstractModel):
    """The termination letter. Its sentences that carry names, dates and amounts
    are written here whole, so that each language words them its own way."""

    _name = "report.client_relationship.report_termination_letter"
    _description = "Termination Letter"

    @api.model
    def _get_report_values(self, docids, data=None):
        terminations = self.env["client.relationship.termination"].browse(docids)
        return {
            "doc_ids": docids,
            "doc_model": "client.relationship.termination",
            "docs": terminations,
            "letters": {termination.id: self._letter(termination) for termination in terminations},
        }

    @api.model
    def _letter(self, termination):
        """{part: text} of one letter, in the client's language."""
        termination = termination.with_context(lang=termination.partner_id.lang or self.env.lang)
        env = termination.env
        client = termination.partner_id
        contract = termination.contract_id
        in_full = termination._date_in_full
        end = in_full(termination.end_date)
        # Ended earlier than the notice allows: the letter does not invoke the notice.
        by_exception = bool(
            termination.earliest_end_date and termination.end_date < termination.earliest_end_date
        )
        terms = not contract and client.relationship_accepted_terms_id
        salutation = client._relationship_salutation()
        city = termination.company_id.city
        letter = {
            "place_date": env._("%(city)s, %(date)s", city=city, date=in_full(termination.date))
            if city
            else in_full(termination.date),
            "greeting": env._("Dear %(salutation)s,", salutation=salutation),
            "sign_off": env._("I remain, %(salutation)s, yours faithfully.", salutation=salutation),
            "clause": contract.termination_clause
            and env._("“%(clause)s”", clause=contract.termination_clause.strip()),
            "registered": termination.send_by == "registered"
            and (
                env._(
                    "Registered letter with acknowledgement of receipt no. %(number)s",
                    number=termination.registered_letter_number,
                )
                if termination.registered_letter_number
                else env._("Registered letter with acknowledgement of receipt")
            ),
            # A letter on paper leads to the page where the client acknowledges it.
            "online": env._(
                "You can also read this letter and acknowledge its receipt online: %(url)s",
                url=termination.get_base_url() + termination.get_portal_url(),
            ),
            "phone": termination.send_by == "phone"
            and termination.call_datetime
            and env._(
                "This letter confirms what I told you during our telephone conversation of "
                "%(date)s.",
                date=termination._call_date_in_full(),
            ),
        }
        if termination.serious_non_performance:
            # The law allows ending without notice; the letter says why, without
            # the internal details.
            letter["subject"] = env._("End of our collaboration")
            letter["decision"] = env._(
                "Given your serious failure to meet your obligations, which I have pointed out "
                "to you, I am ending our collaboration without notice: it will end on %(end)s.",
                end=end,
            )
        elif contract:
            letter["subject"] = env._(
                "Termination of the contract “%(contract)s”", contract=contract.name
            )
            if contract.date_signed:
                notification = env._(
                    "By this letter, I give you notice of the termination of the contract "
                    "“%(contract)s” signed on %(signed)s.",
                    contract=contract.name,
                    signed=in_full(contract.date_signed),
                )
            else:
                notification = env._(
                    "By this letter, I give you notice of the termination of the contract "
                    "“%(contract)s”.",
                    contract=contract.name,
                )
            if contract.notice_period and not by_exception:
                end_sentence = env._(
                    "In accordance with its termination clause, which provides for a notice of "
                    "%(notice)s, it will end on %(end)s.",
                    notice=contract._notice_text(),
                    end=end,
                )
            else:
                end_sentence = env._("The contract will end on %(end)s.", end=end)
            letter["decision"] = f"{notification} {end_sentence}"
        elif terms and terms.notice_period and not by_exception:
            letter["subject"] = env._("End of our collaboration")
            letter["decision"] = env._(
                "I have therefore decided to stop working together. In accordance with our "
                "general terms of sale “%(terms)s”, which provide for a notice of %(notice)s, "
                "our collaboration will end on %(end)s.",
                terms=terms.name,
                notice=format_notice(env, terms.notice_period, terms.notice_unit),
                end=end,
            )
        else:
            letter["subject"] = env._("End of our collaboration")
            letter["decision"] = env._(
                "I have therefore decided to stop working together: our collaboration will end "
                "on %(end)s.",
                end=end,
            )
        balance = termination._letter_balance_due()
        letter["balance"] = balance > 0 and env._(
            "The balance still due on my invoices amounts to %(amount)s; thank you for "
            "settling it by that date.",
            amount=format_amount(env, balance, termination.company_id.currency_id),
        )
        return letter
