import logging
from collections import defaultdict
from functools import cache

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, format_date, get_lang

from .credit_recovery_level import CHANNELS

_logger = logging.getLogger(__name__)

# The module's own unique index: an IntegrityError on it means "already done today", nothing else does.
UNIQUE_INDEX = "credit_recovery_action_unique_level_day"


class CreditRecoveryAction(models.Model):
    """What was done to recover a customer's overdue items: one contact at one level."""

    _name = "credit.recovery.action"
    _description = "Recovery Action"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, ondelete="restrict", index=True, tracking=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, ondelete="cascade", index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    level_id = fields.Many2one(
        "credit.recovery.level", required=True, ondelete="restrict", check_company=True
    )
    channel = fields.Selection(CHANNELS, required=True, tracking=True)
    state = fields.Selection(
        [("draft", "To Do"), ("to_validate", "To Validate"), ("done", "Done"), ("cancel", "Cancelled")],
        default="draft",
        required=True,
        tracking=True,
        index=True,
    )
    date = fields.Date(required=True, default=fields.Date.context_today, index=True)
    user_id = fields.Many2one(
        "res.users", string="Credit Controller", default=lambda self: self.env.user, ondelete="set null"
    )
    run_id = fields.Many2one("credit.recovery.run", ondelete="set null", index=True)
    line_ids = fields.Many2many(
        "account.move.line",
        "credit_recovery_action_line_rel",
        "action_id",
        "line_id",
        string="Items",
        help="The receivable journal items this action covers.",
    )
    amount_due = fields.Monetary(
        currency_field="currency_id",
        help="What the covered items still owed when decided.",
    )
    amount_overdue = fields.Monetary(
        currency_field="currency_id",
        help="The part of it that was past its due date.",
    )
    contact_id = fields.Many2one(
        "res.partner",
        string="Addressed To",
        ondelete="set null",
        help="The contact the letter or e-mail goes to.",
    )
    printed = fields.Boolean(help="The letter was printed (or downloaded) for posting.")
    send_queued = fields.Boolean(
        string="E-mail Queued",
        copy=False,
        readonly=True,
        index="btree_not_null",
        help="The e-mail and its letter wait for the dunning run's next call, which renders and sends them.",
    )
    outcome = fields.Text(help="What came out of the contact: the customer's answer, a promise, a dispute...")
    next_call_date = fields.Date(string="Next Call", help="The call back agreed with the customer.")
    pre_due = fields.Boolean(
        related="level_id.pre_due",
        help="A call before the due date, to check the invoice is approved for payment.",
    )
    promise_ids = fields.One2many("credit.recovery.promise", "action_id", string="Promises")
    case_id = fields.Many2one(
        "credit.recovery.case",
        string="Litigation Case",
        ondelete="set null",
        index="btree_not_null",
        help="The case the litigation level proposed for review.",
    )

    @api.depends("level_id.name", "partner_id.name")
    def _compute_name(self):
        for action in self:
            action.name = f"{action.level_id.name or ''} - {action.partner_id.name or ''}"

    def init(self):
        # Two workers, or a rerun on the same day, never create a second action for a customer and level.
        self.env.cr.execute(
            SQL(
                """
                CREATE UNIQUE INDEX IF NOT EXISTS %s
                    ON credit_recovery_action (company_id, partner_id, level_id, date)
                 WHERE state != 'cancel'
                """,
                SQL.identifier(UNIQUE_INDEX),
            )
        )

    def action_validate(self):
        """A Credit Manager approves actions waiting for validation; they are then carried out."""
        if not self.env.user.has_group("account_credit_recovery.group_credit_manager"):
            raise AccessError(self.env._("Only a Credit Manager can validate this recovery action."))
        waiting = self.filtered(lambda action: action.state == "to_validate")
        if waiting != self:
            raise UserError(self.env._("Only actions waiting for validation can be validated."))
        waiting._check_no_payment_signal()
        waiting.write({"state": "draft"})
        waiting.message_post(body=self.env._("Validated by %(user)s.", user=self.env.user.name))
        waiting._execute()
        return True

    def action_cancel(self):
        cancelled = self.filtered(lambda action: action.state not in ("done", "cancel"))
        cancelled.write({"state": "cancel", "send_queued": False})
        cancelled._revert_line_levels()
        return True

    def action_done(self):
        self.filtered(lambda action: action.state == "draft").write({"state": "done"})
        return True

    def action_log_call(self):
        """Open the call log for this action's customer."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account_credit_recovery.credit_recovery_call_wizard_action"
        )
        action["context"] = {
            "default_partner_id": self.partner_id.id,
            "default_action_id": self.id,
            "default_company_id": self.company_id.id,
            "default_contact_id": self.contact_id.id or self.partner_id.id,
        }
        return action

    def action_record_bon_a_payer(self):
        """Pre-due calls: record the customer's bon à payer on the invoice being called about."""
        self.ensure_one()
        moves = self.line_ids.credit_debt_move_id
        if len(moves) != 1:
            raise UserError(self.env._("Record the bon à payer from each invoice's form."))
        return moves.action_credit_bap()

    def action_print_call_confirmation(self):
        """The letter confirming what was agreed on the phone."""
        return self.env.ref(
            "account_credit_recovery.action_report_credit_recovery_call_confirmation"
        ).report_action(self)

    def action_mark_printed(self):
        self.write({"printed": True})
        return True

    def action_print_letter(self):
        """The letter of each action, rendered in the customer's language, with the amounts of today.

        Refused while a customer may have paid (``credit.recovery.book.payment``): reconcile first.
        """
        report = self._letter_report()
        to_print = self.filtered(lambda action: not action.printed)
        to_print._check_no_payment_signal()
        to_print.filtered(lambda action: action.state != "done")._refresh_amounts()
        self.write({"printed": True})
        return report.report_action(self)

    # Business logic

    def _letter_report(self):
        """The letter the actions in ``self`` print: the reminder letter."""
        return self.env.ref("account_credit_recovery.action_report_credit_recovery_letter")

    def _execute(self, decided=False):
        """Carry out draft actions, channel by channel, in batches.

        E-mails are queued (``send_queued``): the run's next call renders their letters and sends them
        through the mail queue (``_send_queued``). Calls and litigation reviews become activities created in
        one batch, which notify nobody by e-mail (the controller sees them in the activity list and the
        dashboard). Unless the run ``decided`` them a moment ago, the actions of customers who may have paid
        are cancelled first (``_stop_payers``) and each customer gets a note on its chatter.
        """
        actions = self.filtered(lambda action: action.state == "draft")
        if not decided:
            actions = actions._stop_payers()
            actions._refresh_amounts()
        actions.partner_id.fetch(["name", "email", "lang", "user_id"])
        for action in actions:
            action.contact_id = action.partner_id._credit_recovery_letter_contact()
        emails = actions.filtered(lambda action: action.channel == "email")
        no_address = emails.filtered(lambda action: not action.contact_id.email)
        no_address.write({"channel": "letter"})
        no_address._message_log_batch(
            {
                action.id: self.env._(
                    "No e-mail address for %(contact)s: sent as a letter.", contact=action.contact_id.name
                )
                for action in no_address
            }
        )
        queued = emails - no_address
        if queued:
            queued.write({"send_queued": True})
            self.env.ref("account_credit_recovery.ir_cron_credit_recovery_run")._trigger()
        actions.filtered(lambda action: action.channel == "phone")._schedule_calls()
        actions.filtered(lambda action: action.channel == "litigation")._schedule_litigation_review()
        letters = actions.filtered(lambda action: action.channel in ("letter", "registered_letter"))
        letters.filtered(lambda action: action.channel == "letter").write({"state": "done"})
        if not decided:
            # The run's actions are the customer's Recovery History (its company's records): a note per
            # customer would repeat them on the chatter every company reads, one message each.
            actions._log_on_customer()
        actions._notify_salespeople()
        actions._apply_credit_hold()

    @api.model
    def _send_queued(self, batch_size=50):
        """Render and send up to ``batch_size`` queued e-mails with their letters; returns how many were taken.

        Right before sending, the customers who may have paid since the decision are not reminded (their
        actions are cancelled) and the amounts are those of today.
        """
        queued = self.search(self._send_queued_domain(), order="id", limit=batch_size)
        if not queued:
            return 0
        queued._send_safely()
        return len(queued)

    @api.model
    def _send_queued_domain(self):
        """The queued e-mails the cron sends (``_send_queued``) and counts as work left."""
        return [("send_queued", "=", True)]

    def _send_safely(self):
        """``_send_now`` for ``self`` at once; on failure one action at a time, each failure logged on its run."""
        try:
            with self.env.cr.savepoint():
                self._send_now()
        except Exception:  # replayed one by one below, so that one bad e-mail never blocks the queue
            for action in self:
                try:
                    with self.env.cr.savepoint():
                        action._send_now()
                except Exception as error:
                    _logger.warning("Dunning run: the e-mail of action %s failed: %s", action.id, error)
                    action.send_queued = False
                    if action.run_id:
                        action.run_id._record_failure(
                            self.env._(
                                "%(customer)s: %(error)s",
                                customer=action.partner_id.display_name,
                                error=str(error),
                            ),
                            action.partner_id,
                        )

    def _send_now(self):
        """Send the queued e-mails of ``self``, unless their customer may have paid since the decision."""
        to_send = self._stop_payers()
        to_send._refresh_amounts()
        to_send._send_emails()
        self.write({"send_queued": False})

    def _send_emails(self):
        for level, actions in self.grouped("level_id").items():
            template = level.mail_template_id or self.env.ref(
                "account_credit_recovery.mail_template_credit_recovery_reminder"
            )
            for lang, lang_actions in actions.grouped(lambda action: action._letter_lang()).items():
                template.with_context(lang=lang).send_mail_batch(lang_actions.ids, force_send=False)
        self.write({"state": "done"})

    def _payment_signals(self):
        """``{action: {kinds}}`` of the actions whose customer has paid or may have paid, read per company."""
        result = {}
        Book = self.env["credit.recovery.book.payment"]
        for company, actions in self.grouped("company_id").items():
            signals = Book._payment_signals(company, actions.partner_id)
            for action in actions:
                kinds = signals.get(action.partner_id.commercial_partner_id.id)
                if kinds:
                    result[action] = kinds
        return result

    def _check_no_payment_signal(self):
        """Refuse to go ahead with the actions of customers who have paid or may have paid."""
        signals = self._payment_signals()
        if signals:
            Book = self.env["credit.recovery.book.payment"]
            raise UserError(
                self.env._(
                    "Nobody who may have paid is reminded. Reconcile these customers' payments first:\n%(list)s",
                    list="\n".join(
                        self.env._(
                            "%(action)s: %(signals)s", action=action.name, signals=Book._describe(kinds)
                        )
                        for action, kinds in signals.items()
                    ),
                )
            )
        return True

    def _stop_payers(self):
        """Cancel the actions of customers who have paid or may have paid; returns the others.

        Their items go back to the level they had, the reason is logged on each action and the run asks
        for the reconciliation.
        """
        signals = self._payment_signals()
        stopped = self.browse([action.id for action in signals])
        if not stopped:
            return self
        Book = self.env["credit.recovery.book.payment"]
        stopped.write({"state": "cancel", "send_queued": False})
        stopped._revert_line_levels()
        stopped._message_log_batch(
            {
                action.id: self.env._(
                    "Not sent: the customer may have paid (%(signals)s). Reconcile first.",
                    signals=Book._describe(signals[action]),
                )
                for action in stopped
            }
        )
        for run, actions in stopped.grouped("run_id").items():
            if run:
                run._schedule_reconciliation(actions.partner_id - run.reconcile_partner_ids)
        return self - stopped

    def _refresh_amounts(self):
        """The actions' amounts as the books stand today (the letter and the e-mail print them)."""
        for action in self:
            lines = action.line_ids.filtered(lambda line: line.amount_residual > 0)
            due = sum(lines.mapped("amount_residual"))
            overdue = sum(
                lines.filtered(lambda line, action=action: line.date_maturity < action.date).mapped(
                    "amount_residual"
                )
            )
            if action.currency_id.compare_amounts(
                due, action.amount_due
            ) or action.currency_id.compare_amounts(overdue, action.amount_overdue):
                action.write({"amount_due": due, "amount_overdue": overdue})

    def _revert_line_levels(self):
        """Put the items of cancelled actions back at the level of their latest other live action.

        A cancelled formal notice does not let the next run jump to litigation: its items are back at the
        previous level, and the run proposes the notice again.
        """
        lines = self.line_ids.filtered(lambda line: line.credit_recovery_level_id in self.level_id)
        if not lines:
            return
        others = self.search(
            [("line_ids", "in", lines.ids), ("id", "not in", self.ids), ("state", "!=", "cancel")],
            order="date desc, id desc",
        )
        previous = {}
        for action in others:
            for line in action.line_ids & lines:
                previous.setdefault(line, action.level_id)
        Level = self.env["credit.recovery.level"]
        by_level = defaultdict(lambda: self.env["account.move.line"])
        for line in lines:
            by_level[previous.get(line, Level)] |= line
        for level, level_lines in by_level.items():
            level_lines.write({"credit_recovery_level_id": level.id})

    def _create_activities(self, values_list):
        """Activities of the run, created in one batch and notifying nobody by e-mail (as Odoo's automated
        activities): the assignee sees them in the activity list and the dashboard."""
        return (
            self.env["mail.activity"]
            .with_context(mail_activity_quick_update=True)
            .create([dict(values, automated=True) for values in values_list])
        )

    def _brief_formats(self):
        """``(format_date, format_amount)`` for the briefs of a batch: each date and amount formatted once, in
        the language ``format_date`` and ``res.currency.format`` resolve for the environment (resolved once
        here, not for each value), so that the text is theirs."""
        lang_env = self.env(context=dict(self.env.context, lang=get_lang(self.env).code))
        currencies = {}

        @cache
        def date_text(value):
            return format_date(lang_env, value)

        @cache
        def amount_text(currency, amount):
            if currency not in currencies:
                currencies[currency] = currency.with_env(lang_env)
            return currencies[currency].format(amount)

        return date_text, amount_text

    def _schedule_calls(self):
        if not self:
            return
        history = self._previous_contacts()
        formats = self._brief_formats()
        activity_type = self.env.ref("mail.mail_activity_data_call")
        model_id = self.env["ir.model"]._get_id(self._name)
        self._create_activities(
            [
                {
                    "activity_type_id": activity_type.id,
                    "res_model_id": model_id,
                    "res_id": action.id,
                    "date_deadline": action.date,
                    "summary": self.env._(
                        "Call %(customer)s: %(level)s",
                        customer=action.partner_id.name,
                        level=action.level_id.name,
                    ),
                    "note": action._call_brief(history.get(action.partner_id, self.browse()), formats),
                    "user_id": action.user_id.id,
                }
                for action in self
            ]
        )

    def _schedule_litigation_review(self):
        """Propose a draft litigation case (or point to the customer's current one) and ask for its review."""
        if not self:
            return
        history = self._previous_contacts()
        formats = self._brief_formats()
        # The run proposes the case whoever triggers it; only a Credit Manager opens it.
        cases = self.env["credit.recovery.case"].sudo()._propose_for_actions(self)
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id(self._name)
        values_list = []
        for action in self:
            case = cases[action].sudo(False)
            action.case_id = case
            link = Markup(
                '<p><a href="#" data-oe-model="credit.recovery.case" data-oe-id="%s">%s</a></p>'
            ) % (
                case.id,
                self.env._("Litigation case %(case)s (%(state)s)", case=case.name, state=case._state_label()),
            )
            values_list.append(
                {
                    "activity_type_id": activity_type.id,
                    "res_model_id": model_id,
                    "res_id": action.id,
                    "date_deadline": action.date,
                    "summary": self.env._(
                        "Litigation review of %(customer)s: case %(case)s",
                        customer=action.partner_id.name,
                        case=case.name,
                    ),
                    "note": link + action._call_brief(history.get(action.partner_id, self.browse()), formats),
                    "user_id": action.user_id.id,
                }
            )
        self._create_activities(values_list)

    def _previous_contacts(self):
        """{customer: its earlier actions, newest first}, read in one query for all of ``self``."""
        earlier = self.search(
            [
                ("partner_id", "in", self.partner_id.ids),
                ("id", "not in", self.ids),
                ("state", "!=", "cancel"),
            ],
            order="date desc, id desc",
        )
        return earlier.grouped("partner_id")

    def _call_brief(self, previous, formats=None):
        """What the controller needs on the phone: the items, the amounts, the last contacts, an opening.

        ``formats`` (``_brief_formats``) formats the dates and amounts of a batch's briefs once each.
        """
        self.ensure_one()
        date_text, amount_text = formats or self._brief_formats()
        currency = self.currency_id
        previous = previous.filtered(lambda action: action.company_id == self.company_id)[:3]
        rows = Markup("").join(
            Markup("<li>%s</li>")
            % self.env._(
                "%(invoice)s of %(date)s, due %(due)s: %(residual)s",
                invoice=line.credit_debt_move_id.name,
                date=date_text(line.credit_debt_move_id.invoice_date),
                due=date_text(line.date_maturity),
                residual=amount_text(currency, line.amount_residual),
            )
            for line in self.line_ids.sorted("date_maturity")
        )
        states = dict(self._fields["state"]._description_selection(self.env))
        contacts = Markup("").join(
            Markup("<li>%s</li>")
            % self.env._(
                "%(date)s: %(level)s (%(outcome)s)",
                date=date_text(action.date),
                level=action.level_id.name,
                outcome=action.outcome or states[action.state],
            )
            for action in previous
        )
        return Markup("<p>%s</p><ul>%s</ul><p>%s</p><ul>%s</ul><p>%s</p>") % (
            self.env._("Items (total %(total)s):", total=amount_text(currency, self.amount_due)),
            rows,
            self.env._("Last contacts:"),
            contacts or Markup("<li>%s</li>") % self.env._("None"),
            escape(self.level_id.call_script or ""),
        )

    def _log_on_customer(self):
        """One note per customer on its company's credit trail (the amounts are the company's; the customer's
        chatter is read by every company), all of them logged in one batch."""
        channels = dict(self._fields["channel"]._description_selection(self.env))
        Log = self.env["credit.recovery.partner.log"]
        groups = self.grouped(lambda action: (action.partner_id.id, action.company_id.id))
        trails = Log._credit_logs_of(groups)
        bodies = {
            trails[key].id: Markup("<br/>").join(
                self.env._(
                    "Recovery: %(level)s (%(channel)s) for %(amount)s.",
                    level=action.level_id.name,
                    channel=channels[action.channel],
                    amount=action.currency_id.format(action.amount_due),
                )
                for action in actions
            )
            for key, actions in groups.items()
        }
        # sudo: the trail is written by the module's code only.
        Log.sudo().browse(list(bodies))._message_log_batch(bodies)

    def _notify_salespeople(self):
        actions = self.filtered(
            lambda action: action.level_id.notify_salesperson and action.partner_id.user_id
        )
        if not actions:
            return
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        # The amount overdue is the company's: the activity goes to the customer's credit trail of the
        # company, which only its users read, not to the customer every company shares.
        Log = self.env["credit.recovery.partner.log"]
        model_id = self.env["ir.model"]._get_id(Log._name)
        trails = Log._credit_logs_of((action.partner_id.id, action.company_id.id) for action in actions)
        # sudo: the trail is written by the module's code only (the assignee follows it).
        self.sudo()._create_activities(
            [
                {
                    "activity_type_id": activity_type.id,
                    "res_model_id": model_id,
                    "res_id": trails[action.partner_id.id, action.company_id.id].id,
                    "date_deadline": action.date,
                    "summary": self.env._(
                        "Your customer %(customer)s is overdue", customer=action.partner_id.name
                    ),
                    "note": self.env._(
                        "%(customer)s owes %(amount)s past due; recovery has started (%(level)s). "
                        "A word from you may help.",
                        customer=action.partner_id.name,
                        amount=action.currency_id.format(action.amount_overdue),
                        level=action.level_id.name,
                    ),
                    "user_id": action.partner_id.user_id.id,
                }
                for action in actions
            ]
        )

    def _apply_credit_hold(self):
        for action in self.filtered(lambda action: action.level_id.set_credit_hold):
            # The credit trail of the company says who held the customer and why.
            why = self.env._(
                "Put on credit hold by the dunning run: recovery level %(level)s reached on %(date)s with "
                "%(amount)s overdue (%(action)s).",
                level=action.level_id.name,
                date=format_date(self.env, action.date),
                amount=action.currency_id.format(action.amount_overdue),
                action=action.display_name,
            )
            action.partner_id.with_company(action.company_id).sudo().with_context(
                credit_trail_body=why
            ).write(
                {  # sudo: the run may hold any customer
                    "credit_on_hold": True,
                    "credit_hold_reason": self.env._(
                        "Recovery level %(level)s reached.", level=action.level_id.name
                    ),
                }
            )

    def _letter_late_amounts(self):
        """Late amounts the letters of ``self`` show, for business customers only.

        Returns ``{action id: {"penalties", "indemnity", "total"}}`` in company currency on the action's
        date: the late-payment penalties accrued on the items the letter lists and not billed yet, and the
        fixed recovery indemnity of their invoices paid late. Consumers owe neither: their actions are left
        out. One ``_credit_late_details`` call per letter date for all the invoices of those letters.
        """
        result = {}
        business = self.filtered(
            lambda action: action.partner_id.commercial_partner_id.credit_customer_type != "b2c"
        )
        for as_of, actions in business.grouped("date").items():
            details = actions.line_ids.credit_debt_move_id._credit_claimable_details(as_of)
            for action in actions:
                currency = action.company_id.currency_id
                penalties = indemnity = 0.0
                missing = accrued_until = False
                # A foreign-currency debt accrues penalties in its currency: {currency: [in it, in company
                # currency]}; the fixed indemnity is in euros, its equivalent in the invoice's currency beside.
                foreign = defaultdict(lambda: [0.0, 0.0, 0.0])
                for move in action.line_ids.credit_debt_move_id:
                    detail = details.get(move)
                    if not detail:
                        continue
                    if detail.get("error"):
                        missing = missing or detail["error"]
                        until = detail.get("accrued_until")
                        accrued_until = min(accrued_until, until) if accrued_until and until else until
                    accrued = sum(
                        item["amount"]
                        for item in detail.get("penalties", [])
                        if item["line"] in action.line_ids._credit_debt_lines()
                    )
                    accrued_company = move.currency_id._convert(accrued, currency, action.company_id, as_of)
                    penalties += accrued_company
                    indemnity += detail.get("indemnity_company", 0.0)
                    if move.currency_id != currency:
                        foreign[move.currency_id][0] += accrued
                        foreign[move.currency_id][1] += accrued_company
                        foreign[move.currency_id][2] += detail.get("indemnity", 0.0)
                result[action.id] = {
                    "penalties": currency.round(penalties),
                    "indemnity": currency.round(indemnity),
                    # [(currency, penalties in it, their company-currency equivalent, indemnities in it)]
                    "foreign": [
                        (
                            foreign_currency,
                            foreign_currency.round(amounts[0]),
                            currency.round(amounts[1]),
                            foreign_currency.round(amounts[2]),
                        )
                        for foreign_currency, amounts in sorted(
                            foreign.items(), key=lambda item: item[0].name
                        )
                    ],
                    "total": currency.round(action._letter_lines()[1] + penalties + indemnity),
                    "missing_rate": missing,
                    "accrued_until": accrued_until,
                    "missing_text": missing
                    and action.with_context(lang=action._letter_lang())._missing_rate_text(accrued_until),
                }
        return result

    def _letter_lang(self):
        """The language the letters of this action are printed in.

        French for a customer established in France (loi n° 94-665 "Toubon", art. 2), whatever its
        contact's preference; the contact's language otherwise.
        """
        self.ensure_one()
        return self.partner_id._credit_document_lang(self.contact_id)

    def _missing_rate_text(self, accrued_until):
        """The sentence of a letter whose penalties stop at ``accrued_until`` for want of an official rate."""
        self.ensure_one()
        if accrued_until:
            return self.env._(
                "The late-payment penalties above are those accrued up to %(date)s, the end of the last "
                "semester whose official rate is published; the penalties accrued since then will be claimed "
                "once the rate of the semester is published.",
                date=format_date(self.env, accrued_until),
            )
        return self.env._(
            "The late-payment penalties will be claimed once the official rate of the semester is published."
        )

    def _check_missing_rate_policy(self, late_amounts):
        """Refuse the letters of companies that block them while an official rate is missing."""
        for action in self:
            late = late_amounts.get(action.id) or {}
            if late.get("missing_rate") and action.company_id.credit_missing_rate_policy == "block":
                raise UserError(
                    self.env._(
                        "The letter %(action)s cannot be printed: %(reason)s",
                        action=action.name,
                        reason=late["missing_rate"],
                    )
                )
        return True

    def _letter_lines(self):
        """``(items, principal)`` the letter prints: the covered items still due, and what they owe today.

        Read when the letter is rendered, never the amount frozen when the run decided.
        """
        self.ensure_one()
        items = self._letter_items()
        lines = self.line_ids.filtered(lambda line: items.get(line.id, {}).get("residual", 0.0) > 0).sorted(
            lambda line: (line.date_maturity, line.id)
        )
        return lines, self.currency_id.round(sum(items[line.id]["residual"] for line in lines))

    def _letter_items(self):
        """The covered items open today, from the book, in company currency and in their own currency.

        ``{line id: {"residual", "currency", "amount_currency", "residual_currency"}}`` (see
        ``credit.recovery.book._open_items_in_currency``): a debt in a foreign currency is claimed in it,
        its company-currency equivalent beside it.
        """
        self.ensure_one()
        return self.env["credit.recovery.book"]._open_items_in_currency(self.company_id, self.line_ids.ids)

    def _letter_foreign_totals(self, lines, items):
        """``[(currency, remaining due in it, remaining due in company currency)]`` of ``lines`` in a
        currency other than the company's, one row per currency (``items``: ``_letter_items``)."""
        totals = {}
        for line in lines:
            item = items[line.id]
            if item["currency"] == self.currency_id:
                continue
            in_currency, in_company = totals.get(item["currency"], (0.0, 0.0))
            totals[item["currency"]] = (
                in_currency + item["residual_currency"],
                in_company + item["residual"],
            )
        return [
            (currency, currency.round(in_currency), self.currency_id.round(in_company))
            for currency, (in_currency, in_company) in sorted(totals.items(), key=lambda total: total[0].name)
        ]


class ReportCreditRecoveryLetter(models.AbstractModel):
    """The reminder letters, with the late amounts of all the letters read in one batch."""

    _name = "report.account_credit_recovery.report_credit_recovery_letter"
    _description = "Reminder Letter"

    @api.model
    def _get_report_values(self, docids, data=None):
        actions = self.env["credit.recovery.action"].browse(docids)
        # However the letter is printed (button, report route, e-mail), a customer who may have paid since
        # the decision is not sent a first copy.
        actions.filtered(
            lambda action: not action.printed and action.state != "cancel"
        )._check_no_payment_signal()
        late_amounts = actions._letter_late_amounts()
        actions._check_missing_rate_policy(late_amounts)
        return {
            "doc_ids": docids,
            "doc_model": "credit.recovery.action",
            "docs": actions,
            "late_amounts": late_amounts,
            "letter_lines": {action.id: action._letter_lines() for action in actions},
            "letter_items": {action.id: action._letter_items() for action in actions},
        }
