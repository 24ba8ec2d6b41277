"""The demo story: a French freelance secretary and her clients, from the
prompt payer to the client who texts at night and pays late.

Plain functions, registered on no model: Odoo reaches them only through the
demo data (``client_relationship_demo.xml`` calls the guarded hook in
``res_partner_demo.py``), ``make run`` and the tests call them directly.
"""

from datetime import datetime, time, timedelta

import pytz

from odoo import fields
from odoo.fields import Command

# The demo's deposit rules, which `make run` gives its own company. Demo data
# leaves the company's rules alone: installing it must not change how the rest
# of Odoo sells.
DEMO_DEPOSIT_RULES = {
    "relationship_deposit_enabled": True,
    "relationship_deposit_individual_percent": 0.3,
    "relationship_deposit_risky_percent": 0.5,
    "relationship_deposit_risky_band": "critical",
    "relationship_deposit_min_amount": 100.0,
    "relationship_deposit_block_confirmation": True,
}


def turn_deposit_rules_on(company):
    """The demo's rules, for a company of its own (`make run`): a deposit before
    the work, from individuals and risky clients."""
    company.write(DEMO_DEPOSIT_RULES)


def load_demo_story(env):
    """The demo story, told through Odoo's own flows: invoices posted and
    paid with the payment wizard, messages at their real hours, incidents,
    a contract, a mediation and one relationship ended cleanly."""
    Partner = env["res.partner"]
    today = fields.Date.context_today(Partner)
    company = env.company
    calendar = company.resource_calendar_id
    tz = pytz.timezone(calendar.tz or "Europe/Paris")
    product = env["product.product"].create(
        {"name": "Heure de secrétariat", "type": "service", "list_price": 38.0}
    )

    # French clients where French is installed: Odoo refuses a language it lacks.
    french = {"lang": "fr_FR"} if env["res.lang"]._get_code("fr_FR") else {}

    def partner(xmlid, values):
        record = Partner.create({**french, "country_id": company.country_id.id, **values})
        env["ir.model.data"].create(
            {
                "module": "client_relationship",
                "name": xmlid,
                "model": "res.partner",
                "res_id": record.id,
                "noupdate": True,
            }
        )
        return record

    def invoice(client, hours, due_days_ago, paid_days_after_due=None):
        due = today - timedelta(days=due_days_ago)
        move = env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": client.id,
                "invoice_date": due - timedelta(days=30),
                "invoice_date_due": due,
                "invoice_line_ids": [Command.create({"product_id": product.id, "quantity": hours})],
            }
        )
        move.invoice_date_due = due
        move.action_post()
        if paid_days_after_due is not None:
            env["account.payment.register"].with_context(
                active_model="account.move", active_ids=move.ids
            ).create({"payment_date": due + timedelta(days=paid_days_after_due)})._create_payments()
        return move

    def message(client, author, body, day, hour, *, minute=0):
        msg = client.message_post(body=body, author_id=author.id, message_type="comment")
        local = tz.localize(datetime.combine(day, time(hour, minute)))
        msg.date = local.astimezone(pytz.utc).replace(tzinfo=None)

    def last(weekday):
        return today - timedelta(days=(today.weekday() - weekday) % 7 or 7)

    terms_old = env["client.relationship.terms"].create(
        {"name": "Édition 2024", "version_date": today - timedelta(days=700)}
    )
    env["client.relationship.terms"].create(
        {"name": "Édition 2026", "version_date": today - timedelta(days=60)}
    )

    # A great client: pays on time, signed the current terms.
    lumiere = partner(
        "demo_client_lumiere",
        {
            "name": "Cabinet Lumière",
            "is_company": True,
            "email": "contact@lumiere.example",
            "city": "Lyon",
            "relationship_profile_fit": "match",
        },
    )
    for due_days_ago in (120, 90, 60, 30):
        invoice(lumiere, 12, due_days_ago, paid_days_after_due=-2)

    # The night-texting client: late payments, messages at 23:40 and on Sunday
    # mornings, meddles in the work, blames, over-shares.
    nuit = partner(
        "demo_client_nuit",
        {
            "name": "Nadia Nuit",
            "relationship_salutation": "madam",
            "email": "nadia.nuit@example.com",
            "city": "Paris",
            "relationship_gut_feeling": "2",
            "relationship_avoid_contact": "Courses avec « maman » de 11 h à 12 h",
        },
    )
    for due_days_ago in (150, 110, 70):
        invoice(nuit, 8, due_days_ago, paid_days_after_due=21)
    invoice(nuit, 6, due_days_ago=12)
    for week in range(3):
        sunday = last(6) - timedelta(days=7 * week)
        message(
            nuit,
            nuit,
            "Vous pourriez reprendre mon courrier ce soir ?",
            sunday - timedelta(days=1),
            23,
            minute=40,
        )
        message(nuit, nuit, "Je ne dors pas, je vous raconte ma semaine…", sunday, 9, minute=15)
    for incident_type, severity, description in (
        ("intervention", "medium", "A modifié mes tableaux sans prévenir."),
        ("blame", "high", "M'a reproché ses propres erreurs de saisie devant son associé."),
        ("oversharing", "medium", "Appel d'une heure sur sa vie privée."),
    ):
        env["client.relationship.incident"].create(
            {
                "partner_id": nuit.id,
                "incident_type": incident_type,
                "severity": severity,
                "description": description,
            }
        )

    # The bad payer "abroad for three months without internet".
    lointain = partner(
        "demo_client_lointain",
        {
            "name": "Paul Lointain",
            "relationship_salutation": "sir",
            "email": "paul.lointain@example.com",
            "city": "Nice",
        },
    )
    lointain.with_company(company).trust = "bad"
    for due_days_ago in (75, 45, 20):
        invoice(lointain, 10, due_days_ago)
    message(
        lointain,
        lointain,
        "Je suis à l'étranger pour trois mois, sans internet. Je réglerai à mon retour.",
        last(2),
        14,
    )

    # A client under contract: one month's notice, registered letter.
    preavis = partner(
        "demo_client_preavis",
        {
            "name": "Agence Préavis",
            "is_company": True,
            "email": "direction@preavis.example",
            "city": "Bordeaux",
        },
    )
    env["client.relationship.contract"].create(
        {
            "name": "Prestations de secrétariat",
            "partner_id": preavis.id,
            "date_start": today - timedelta(days=500),
            "date_signed": today - timedelta(days=500),
            "notice_period": 1,
            "notice_unit": "month",
            "termination_form": "registered",
            "termination_clause": (
                "Chacune des parties peut résilier le présent contrat par lettre "
                "recommandée avec accusé de réception, moyennant un préavis d'un mois."
            ),
        }
    )
    order = env["sale.order"].create(
        {
            "partner_id": preavis.id,
            "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 30})],
        }
    )
    order.write({"signed_by": "Direction Agence Préavis", "signed_on": fields.Datetime.now()})
    order.relationship_terms_id = terms_old
    invoice(preavis, 15, 40, paid_days_after_due=0)

    # A client in mediation: the frank conversation is planned.
    mediation = partner(
        "demo_client_mediation",
        {"name": "Studio Médiation", "is_company": True, "email": "bonjour@mediation.example"},
    )
    env["client.relationship.incident"].create(
        {
            "partner_id": mediation.id,
            "incident_type": "scope",
            "severity": "medium",
            "description": "Demande des tâches hors devis chaque semaine.",
        }
    )
    mediation.action_relationship_try_resolve()

    # A relationship ended cleanly, with its handover dossier.
    fermee = partner(
        "demo_client_fermee",
        {
            "name": "Boutique Fermée",
            "is_company": True,
            "email": "gerant@fermee.example",
            "street": "12 rue Esquermoise",
            "zip": "59000",
            "city": "Lille",
        },
    )
    invoice(fermee, 9, 200, paid_days_after_due=5)
    env["client.relationship.handover.item"].create(
        [
            {
                "partner_id": fermee.id,
                "category": "instruction",
                "sequence": 1,
                "name": "Relancer les factures impayées le 5 de chaque mois",
            },
            {
                "partner_id": fermee.id,
                "category": "website",
                "sequence": 2,
                "name": "Commandes de fournitures",
                "url": "https://fournitures.example",
                "login": "boutique-fermee",
            },
            {
                "partner_id": fermee.id,
                "category": "credential",
                "sequence": 3,
                "name": "Espace professionnel impots.gouv",
                "login": "boutique.fermee",
                "secret": "Demo-Fermee-2026",
            },
            {
                "partner_id": fermee.id,
                "category": "file_location",
                "sequence": 4,
                "name": "Factures fournisseurs",
                "location": "Drive › Clients › Boutique Fermée › Achats",
            },
            {
                "partner_id": fermee.id,
                "category": "deadline",
                "sequence": 5,
                "name": "Déclaration de TVA",
                "notes": "Avant le 19 de chaque mois",
            },
        ]
    )
    wizard = env["client.relationship.end.wizard"].create(
        {
            "partner_id": fermee.id,
            "send_by": "registered",
            "reason_ids": [
                Command.link(env.ref("client_relationship.end_reason_activity_changed").id)
            ],
            "notes": "La boutique ferme ; l'activité en ligne ne correspond plus à mon offre.",
        }
    )
    wizard.action_confirm()
    # Decided a month before the end (a fact no user may rewrite: the story's
    # own past), the letter sent that day by registered letter.
    wizard.termination_id.sudo().date = today - timedelta(days=30)
    wizard.termination_id.write(
        {
            "registered_letter_number": "1A 234 567 8901 2",
            "registered_letter_sent_date": today - timedelta(days=30),
            "registered_letter_received_date": today - timedelta(days=28),
        }
    )
    # Everything was handed over; only the courtesy follow-up is ahead.
    wizard.termination_id.offboarding_activity_ids.filtered(
        lambda activity: activity.date_deadline <= today
    ).action_feedback(feedback="Fait.")

    clients = lumiere | nuit | lointain | preavis | mediation | fermee
    clients._recompute_relationship_health()
    # A company that asks no deposit by its rules (Odoo's demo database: its
    # rules stay untouched) agrees one with the two risky clients instead;
    # under the demo's rules (`make run`) the rules ask it, and say why.
    if not company.relationship_deposit_enabled:
        (lointain | nuit).write(
            {"relationship_deposit_policy": "always", "relationship_deposit_percent": 0.5}
        )
    # New quotations, once the health is known: both wait for their deposit.
    for client, hours in ((lointain, 20), (nuit, 10)):
        env["sale.order"].create(
            {
                "partner_id": client.id,
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": hours})
                ],
            }
        ).action_quotation_sent()
    # A few weeks of history, so that the trend shows.
    health = (
        env["client.relationship.health"]
        .sudo()
        .search([("partner_id", "=", nuit.id), ("company_id", "=", company.id)])
    )
    for weeks_ago, score in ((6, 100), (4, 75), (2, 55)):
        env["client.relationship.health.snapshot"].sudo().create(
            {
                "health_id": health.id,
                "partner_id": nuit.id,
                "company_id": company.id,
                "date": today - timedelta(weeks=weeks_ago),
                "score": score,
                "band": health._band(score, company),
            }
        )
