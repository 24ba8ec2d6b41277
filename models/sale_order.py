from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tools import format_amount

from ..const import GROUP_MANAGER, GROUP_USER

# What the rules asked and why a manager departed from them: changed only by
# the rules themselves or by a relationship manager.
DEPOSIT_FIELDS = {
    "relationship_deposit_required",
    "relationship_deposit_percent",
    "relationship_deposit_basis",
    "relationship_deposit_lowered_reason",
}

DEPOSIT_BASES = [
    ("client", "Agreed with this client"),
    ("individual", "Individual client"),
    ("health_watch", "Health to watch"),
    ("health_critical", "Critical health"),
    ("bad_debtor", "Bad debtor"),
]


class SaleOrder(models.Model):
    _inherit = "sale.order"

    relationship_terms_id = fields.Many2one(
        "client.relationship.terms",
        string="Accepted Terms",
        compute="_compute_relationship_terms_id",
        store=True,
        readonly=True,
        help="The version of the general terms of sale in force when the client signed.",
        groups=GROUP_USER,
    )
    relationship_state = fields.Selection(
        related="partner_id.commercial_partner_id.relationship_state",
        groups=GROUP_USER,
    )
    # What the deposit rules asked when they last decided, kept to tell a
    # change of rule outcome (re-apply) from a mere edit (keep manual choices).
    relationship_deposit_required = fields.Boolean(
        string="Deposit Required",
        compute="_compute_require_payment",
        store=True,
        precompute=True,
        copy=False,
        groups=GROUP_USER,
    )
    relationship_deposit_percent = fields.Float(
        string="Deposit Asked by the Rules",
        compute="_compute_prepayment_percent",
        store=True,
        precompute=True,
        copy=False,
        groups=GROUP_USER,
    )
    relationship_deposit_basis = fields.Selection(
        DEPOSIT_BASES,
        string="Deposit Basis",
        compute="_compute_prepayment_percent",
        store=True,
        precompute=True,
        copy=False,
        groups=GROUP_USER,
    )
    relationship_deposit_reason = fields.Char(
        string="Deposit",
        compute="_compute_relationship_deposit_reason",
        groups=GROUP_USER,
    )
    relationship_deposit_lowered_reason = fields.Char(
        string="Why a Lower Deposit",
        copy=False,
        help="Required from a relationship manager who lowers or removes the deposit the "
        "rules ask; logged in the chatter.",
        groups=GROUP_USER,
    )
    relationship_deposit_paid = fields.Monetary(
        string="Deposit Paid",
        compute="_compute_relationship_deposit_paid",
        compute_sudo=True,
        help="Paid online, or through paid deposit invoices of this order.",
        groups=GROUP_USER,
    )
    relationship_deposit_due = fields.Monetary(
        string="Deposit Due",
        compute="_compute_relationship_deposit_paid",
        compute_sudo=True,
        help="What the client still has to pay before the work starts.",
        groups=GROUP_USER,
    )
    relationship_deposit_invoice_ids = fields.Many2many(
        "account.move",
        string="Deposit Invoices to Be Paid",
        compute="_compute_relationship_deposit_paid",
        compute_sudo=True,
        groups=GROUP_USER,
    )
    relationship_screening_warning = fields.Char(
        string="Screening",
        compute="_compute_relationship_screening_warning",
        groups=GROUP_USER,
        help="On a client's first quotation: whether the client fits your ideal client "
        "profiles, and what your instinct said at first contact.",
    )
    relationship_deposit_waiver_reason = fields.Text(
        string="Confirmed Without Deposit Because",
        readonly=True,
        copy=False,
        groups=GROUP_MANAGER,
    )

    @api.depends("signed_on")
    def _compute_relationship_terms_id(self):
        for order in self:
            if order.signed_on and not order.relationship_terms_id:
                order.relationship_terms_id = self.env["client.relationship.terms"]._current_for(
                    order.company_id
                )

    @api.depends_context("lang")
    @api.depends("partner_id", "amount_total", "state", "company_id")
    def _compute_relationship_screening_warning(self):
        quotations = self.filtered(lambda o: o.partner_id and o.state in ("draft", "sent"))
        (self - quotations).relationship_screening_warning = False
        if not quotations:
            return
        clients = quotations.partner_id.commercial_partner_id
        # Other orders of these clients, in one query: is this their first quotation?
        others = (
            self.env["sale.order"]
            .sudo()
            ._read_group(
                [
                    ("partner_id", "child_of", clients.ids),
                    ("id", "not in", quotations._origin.ids),
                    ("state", "!=", "cancel"),
                ],
                ["partner_id", "company_id"],
            )
        )
        known = {(partner.commercial_partner_id, company) for partner, company in others}
        personas = self.env["client.relationship.persona"].sudo().search([("active", "=", True)])
        feelings = dict(
            self.env["res.partner"]
            ._fields["relationship_gut_feeling"]
            ._description_selection(self.env)
        )
        for order in quotations:
            client = order.partner_id.commercial_partner_id.sudo()
            if (client, order.company_id) in known:
                order.relationship_screening_warning = False
                continue
            warnings = []
            if personas and not any(persona._matches_quotation(order) for persona in personas):
                warnings.append(
                    self.env._("this client matches none of your ideal client profiles")
                )
            if (feeling := client.relationship_gut_feeling or "0") != "0":
                warnings.append(
                    self.env._("at first contact you noted: %(feeling)s", feeling=feelings[feeling])
                )
            order.relationship_screening_warning = (
                self.env._(
                    "First quotation for %(client)s: %(warnings)s. If your instinct says no, "
                    "decline politely.",
                    client=client.name,
                    warnings="; ".join(warnings),
                )
                if warnings
                else self.env._(
                    "First quotation for %(client)s: how do you feel about them? Note your gut "
                    "feeling on the contact's Relationship tab.",
                    client=client.name,
                )
            )

    # ------------------------------------------------------------------
    # Deposit rules: they decide when the client or the amount changes
    # ------------------------------------------------------------------

    def _relationship_deposit_rule(self):
        self.ensure_one()
        return self.company_id._relationship_deposit_rule(
            self.partner_id, self.amount_total, self.currency_id, self.date_order
        )

    def _relationship_deposit_decides(self, outcome_changed):
        """Whether the rules (re)decide the online payment of this order, rather
        than keep what the user or Odoo's defaults set on it."""
        origin = self._origin
        return self.state in ("draft", "sent") and (
            not origin
            or outcome_changed
            or self.company_id != origin.company_id
            or self.sale_order_template_id != origin.sale_order_template_id
        )

    @api.depends("partner_id", "order_line.price_total")
    def _compute_require_payment(self):  # pylint: disable=missing-return
        kept = {order: order.require_payment for order in self if order._origin}
        before = {order: order._origin.relationship_deposit_required for order in self}
        super()._compute_require_payment()
        for order in self:
            if order.state not in ("draft", "sent"):
                order.relationship_deposit_required = before[order]
                if order in kept:
                    order.require_payment = kept[order]
                continue
            required = bool(order._relationship_deposit_rule()[0])
            order.relationship_deposit_required = required
            if order._relationship_deposit_decides(required != before[order]):
                order.require_payment = required or order.require_payment
            else:
                order.require_payment = kept[order]

    @api.depends("partner_id", "order_line.price_total")
    def _compute_prepayment_percent(self):  # pylint: disable=missing-return
        kept = {order: order.prepayment_percent for order in self if order._origin}
        before = {
            order: (
                order._origin.relationship_deposit_percent,
                order._origin.relationship_deposit_basis,
            )
            for order in self
        }
        super()._compute_prepayment_percent()
        for order in self:
            if order.state not in ("draft", "sent"):
                order.relationship_deposit_percent, order.relationship_deposit_basis = before[order]
                if order in kept:
                    order.prepayment_percent = kept[order]
                continue
            percent, basis = order._relationship_deposit_rule()
            order.relationship_deposit_percent, order.relationship_deposit_basis = percent, basis
            if order._relationship_deposit_decides((percent, basis) != before[order]):
                order.prepayment_percent = percent or order.prepayment_percent
            else:
                order.prepayment_percent = kept[order]

    @api.depends_context("lang")
    @api.depends(
        "require_payment",
        "prepayment_percent",
        "relationship_deposit_required",
        "relationship_deposit_basis",
    )
    def _compute_relationship_deposit_reason(self):
        for order in self:
            order.relationship_deposit_reason = (
                order.company_id._relationship_deposit_reason(
                    order.prepayment_percent, order.relationship_deposit_basis
                )
                if order.relationship_deposit_required and order.require_payment
                else False
            )

    @api.depends(
        "transaction_ids.state",
        "transaction_ids.amount",
        "order_line.is_downpayment",
        "order_line.invoice_lines.price_total",
        "order_line.invoice_lines.move_id.state",
        "order_line.invoice_lines.move_id.payment_state",
        "currency_id",
        "amount_total",
        "require_payment",
        "prepayment_percent",
        "relationship_deposit_required",
    )
    def _compute_relationship_deposit_paid(self):
        for order in self:
            # Deposit invoices: the order's down payment lines, invoiced.
            lines = order.order_line.filtered("is_downpayment").invoice_lines.filtered(
                lambda line: (
                    line.move_id.move_type == "out_invoice" and line.move_id.state != "cancel"
                )
            )
            paid = lines.filtered(
                lambda line: (
                    line.move_id.state == "posted"
                    and line.move_id.payment_state in ("in_payment", "paid")
                )
            )
            order.relationship_deposit_invoice_ids = (lines - paid).move_id
            invoiced = sum(
                line.currency_id._convert(
                    line.price_total, order.currency_id, order.company_id, line.move_id.date
                )
                for line in paid
            )
            online = sum(
                tx.amount for tx in order.transaction_ids if tx.state in ("authorized", "done")
            )
            order.relationship_deposit_paid = online + invoiced
            due = 0.0
            if order.relationship_deposit_required and order.require_payment:
                due = order._get_prepayment_required_amount() - order.relationship_deposit_paid
            order.relationship_deposit_due = max(order.currency_id.round(due), 0.0)

    def _relationship_deposit_customer_note(self):
        """The deposit as the client reads it, on the quotation and the portal:
        its share and amount, never the reason, which is an internal judgement."""
        self.ensure_one()
        order = self.sudo()
        if not (
            order.state in ("draft", "sent")
            and order.relationship_deposit_required
            and order.require_payment
        ):
            return ""
        return self.env._(
            "Deposit of %(percent)s%% to pay on order: %(amount)s",
            percent=order.company_id._relationship_deposit_share(order.prepayment_percent),
            amount=format_amount(
                self.env, order._get_prepayment_required_amount(), order.currency_id
            ),
        )

    def _relationship_deposit_consumer_note(self):
        """For an individual, a payment on order is a deposit that binds both
        parties only if the quotation says so (otherwise the law reads it as
        an earnest either side may forfeit to withdraw)."""
        self.ensure_one()
        if (
            not self._relationship_deposit_customer_note()
            or self.partner_id.commercial_partner_id.is_company
        ):
            return ""
        return self.env._(
            "This payment is a deposit (acompte), not an earnest (arrhes): it commits both "
            "parties for good."
        )

    def _relationship_deposit_effective(self):
        return self.prepayment_percent if self.require_payment else 0.0

    def _relationship_check_deposit_lowered(self, before):
        """Only relationship managers lower the deposit the rules ask, and say why."""
        if self.env.su:
            return
        manager = self.env.user.has_group(GROUP_MANAGER)
        for order in self:
            effective = order._relationship_deposit_effective()
            asked = order.relationship_deposit_percent
            if not (
                order.state in ("draft", "sent")
                and order.relationship_deposit_required
                and effective < asked - 1e-6
                and effective < before.get(order.id, asked) - 1e-6
            ):
                continue
            if not manager:
                raise UserError(
                    self.env._(
                        "%(order)s: %(reason)s. Only a relationship manager can lower or "
                        "remove this deposit; ask one to do it.",
                        order=order.display_name,
                        reason=order.company_id._relationship_deposit_reason(
                            asked, order.relationship_deposit_basis
                        ),
                    )
                )
            if not order.relationship_deposit_lowered_reason:
                raise UserError(
                    self.env._(
                        "%(order)s: say why you lower the deposit in “Why a Lower Deposit”, "
                        "next to the online payment in Other Info.",
                        order=order.display_name,
                    )
                )
            order.message_post(
                body=self.env._(
                    "Deposit lowered from %(asked)s%% to %(new)s%% by %(user)s: %(why)s",
                    asked=order.company_id._relationship_deposit_share(asked),
                    new=order.company_id._relationship_deposit_share(effective),
                    user=self.env.user.name,
                    why=order.relationship_deposit_lowered_reason,
                ),
                subtype_xmlid="mail.mt_note",
            )

    def _check_relationship_deposit_fields(self, field_names):
        if self.env.su:
            return
        if "relationship_deposit_waiver_reason" in field_names:
            raise AccessError(
                self.env._(
                    "A quotation is confirmed without its deposit only through “Confirm "
                    "without Deposit”, which logs the reason."
                )
            )
        if DEPOSIT_FIELDS & set(field_names) and not self.env.user.has_group(GROUP_MANAGER):
            raise AccessError(
                self.env._(
                    "Only a relationship manager can change the deposit a quotation requires."
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        # Values given through ``default_*`` context keys count as given.
        self._check_relationship_deposit_fields(
            {fname for vals in vals_list for fname in vals}
            | {key[8:] for key in self.env.context if key.startswith("default_relationship_")}
        )
        orders = super().create(vals_list)
        # Precomputed before the lines existed: decide again now that the
        # rules see the amount.
        for fname in ("require_payment", "prepayment_percent"):
            self.env.add_to_compute(self._fields[fname], orders)
        orders._relationship_check_deposit_lowered({})
        # Created confirmed (a copy, an import, a default): the deposit still comes first.
        if not self.env.su:
            orders.filtered(lambda order: order.state == "sale")._relationship_check_deposit_paid()
        return orders

    def write(self, vals):
        self._check_relationship_deposit_fields(vals)
        guarded = not self.env.su
        # Confirmed by a write rather than “Confirm” (with a new client, from a
        # cancelled quotation…): the deposit still comes first, checked once written.
        confirming = (
            self.filtered(lambda order: order.state != "sale")
            if guarded and vals.get("state") == "sale"
            else self.browse()
        )
        # A confirmed order put in another client's name, confirmed for a client
        # without deposit then put back, would escape the deposit: a manager's call.
        moved = (
            self.filtered(lambda order: order.state == "sale")
            if guarded and "partner_id" in vals and not self.env.user.has_group(GROUP_MANAGER)
            else self.browse()
        )
        owed_before = {order: bool(order._relationship_deposit_error()) for order in moved}
        if not {"require_payment", "prepayment_percent"} & vals.keys():
            result = super().write(vals)
        else:
            before = {order.id: order._relationship_deposit_effective() for order in self}
            result = super().write(vals)
            self._relationship_check_deposit_lowered(before)
        confirming._relationship_check_deposit_paid()
        for order, owed in owed_before.items():
            invoiced = order._relationship_is_partly_invoiced()
            if not owed and not invoiced and order._relationship_deposit_error():
                raise UserError(
                    self.env._(
                        "%(order)s is confirmed: it cannot go in the name of %(client)s, who "
                        "owes a deposit that is not paid. Ask a relationship manager.",
                        order=order.display_name,
                        client=order.partner_id.display_name,
                    )
                )
        return result

    # ------------------------------------------------------------------
    # Enforcement: no work before the deposit
    # ------------------------------------------------------------------

    @api.model
    def _relationship_open_work_domain(self):
        """Confirmed orders not fully invoiced: the work still open with a
        client, which the end wizard, the handover dossier and the client's
        page list."""
        return [("state", "=", "sale"), ("invoice_status", "in", ("to invoice", "no"))]

    def _relationship_is_partly_invoiced(self):
        """Whether part of the order is invoiced already (a posted invoice, a
        down payment's included, not a credit note), however much remains."""
        self.ensure_one()
        return any(
            move.state == "posted" and move.move_type == "out_invoice" for move in self.invoice_ids
        )

    def _relationship_deposit_due_now(self):
        """(reason, amount) of the deposit still to pay, by the rules as they stand
        now for this client and company, whatever was stored on the quotation."""
        self.ensure_one()
        order = self.sudo()
        percent, basis = order._relationship_deposit_rule()
        if not percent:
            return False, 0.0
        effective = order._relationship_deposit_effective()
        # A manager may have lowered the share, saying why; nobody else can.
        share = effective if order.relationship_deposit_lowered_reason else max(percent, effective)
        due = order.currency_id.round(order.amount_total * share) - order.relationship_deposit_paid
        reason = order.company_id._relationship_deposit_reason(share, basis)
        return reason, max(order.currency_id.round(due), 0.0)

    def _confirmation_error_message(self):
        return super()._confirmation_error_message() or self._relationship_deposit_error()

    def _relationship_check_deposit_paid(self):
        for order in self:
            if error := order._relationship_deposit_error():
                raise UserError(error)

    def _relationship_deposit_error(self):
        """Why the quotation cannot be confirmed before its deposit, or False."""
        self.ensure_one()
        if (
            not self.company_id.relationship_deposit_block_confirmation
            or self.sudo().relationship_deposit_waiver_reason
        ):
            return False
        reason, due = self._relationship_deposit_due_now()
        if not due:
            return False
        return self.env._(
            "%(order)s cannot be confirmed yet. %(reason)s, and %(due)s of it is still to "
            "be paid. Let the client pay online from the quotation, or create the deposit "
            "invoice and register its payment. A relationship manager can also confirm "
            "without deposit, giving the reason.",
            order=self.display_name,
            reason=reason,
            due=format_amount(self.env, due, self.currency_id),
        )

    def action_relationship_deposit_invoice(self):
        """The deposit invoice (facture d'acompte) for what is still due after
        online payments, made through Odoo's down payments so that the final
        invoice deducts it."""
        self.ensure_one()
        # What is due is read with sudo: said only to whoever may invoice the order.
        self.check_access("write")
        __, due = self._relationship_deposit_due_now()
        if not due:
            raise UserError(
                self.env._("%(order)s has no deposit left to invoice.", order=self.display_name)
            )
        if self.relationship_deposit_invoice_ids:
            raise UserError(
                self.env._(
                    "The deposit invoice %(invoices)s of %(order)s is waiting for its payment: "
                    "register the payment, or cancel it to make a new one.",
                    invoices=", ".join(
                        self.relationship_deposit_invoice_ids.mapped("display_name")
                    ),
                    order=self.display_name,
                )
            )
        wizard = self.env["sale.advance.payment.inv"].create(
            {
                "sale_order_ids": [Command.set(self.ids)],
                "advance_payment_method": "fixed",
                "fixed_amount": due,
            }
        )
        return wizard.create_invoices()

    def action_relationship_confirm_without_deposit(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Confirm without Deposit"),
            "res_model": "client.relationship.deposit.waiver",
            "view_mode": "form",
            "target": "new",
            "context": {"default_order_ids": self.ids},
        }

    def action_decline_politely(self):
        """A courteous refusal: 'I am fully booked at the moment'."""
        if not_quotations := self.filtered(lambda o: o.state not in ("draft", "sent")):
            raise UserError(
                self.env._(
                    "%(orders)s: only a quotation (draft or sent) can be declined politely. "
                    "A confirmed or cancelled order is handled through Odoo's own actions.",
                    orders=", ".join(not_quotations.mapped("display_name")),
                )
            )
        template = self.env.ref("client_relationship.mail_template_decline_politely")
        for order in self:
            order.message_post_with_source(template, subtype_xmlid="mail.mt_comment")
        self._action_cancel()
        return True
