import base64
from datetime import date, timedelta

from freezegun import freeze_time

from odoo.tools.misc import file_path

from .common import CreditRecoveryCommon

SELLER_SIREN = "732829320"
OTHER_SIREN = "552100554"
BUYER_SIREN = "443061841"
DUE = date(2026, 3, 31)
INVOICE_DATE = date(2026, 3, 1)

NAMESPACES = (
    'xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossDomainAcknowledgementAndResponse:100" '
    'xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100" '
    'xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100" '
    'xmlns:qdt="urn:un:unece:uncefact:data:standard:QualifiedDataType:100"'
)


def day(offset):
    return DUE + timedelta(days=offset)


def reference(
    number,
    code,
    invoice_date=INVOICE_DATE,
    seller=SELLER_SIREN,
    status_date=None,
    reason_code="",
    reason="",
    amounts=None,
):
    """One ``ram:ReferenceReferencedDocument``: the status ``code`` of invoice ``number``."""
    details = ""
    if status_date:
        details += (
            '<ram:ReferenceDateTime><udt:DateTimeString format="102">%s</udt:DateTimeString>'
            "</ram:ReferenceDateTime>" % status_date.strftime("%Y%m%d")
        )
    if reason_code:
        details += "<ram:ReasonCode>%s</ram:ReasonCode>" % reason_code
    if reason:
        details += "<ram:Reason>%s</ram:Reason>" % reason
    for type_code, amount in (amounts or {}).items():
        details += (
            "<ram:SpecifiedDocumentCharacteristic><ram:TypeCode>%s</ram:TypeCode>"
            '<ram:ValueAmount currencyID="EUR">%.2f</ram:ValueAmount></ram:SpecifiedDocumentCharacteristic>'
            % (type_code, amount)
        )
    return (
        "<ram:ReferenceReferencedDocument>"
        "<ram:IssuerAssignedID>%(number)s</ram:IssuerAssignedID>"
        "<ram:TypeCode>380</ram:TypeCode>"
        '<ram:FormattedIssueDateTime><qdt:DateTimeString format="102">%(date)s</qdt:DateTimeString>'
        "</ram:FormattedIssueDateTime>"
        "<ram:ProcessConditionCode>%(code)s</ram:ProcessConditionCode>"
        '<ram:IssuerTradeParty><ram:GlobalID schemeID="0002">%(seller)s</ram:GlobalID></ram:IssuerTradeParty>'
        "<ram:SpecifiedDocumentStatus>%(details)s</ram:SpecifiedDocumentStatus>"
        "</ram:ReferenceReferencedDocument>"
    ) % {
        "number": number,
        "date": invoice_date.strftime("%Y%m%d"),
        "code": code,
        "seller": seller,
        "details": details,
    }


def message(references, document_id="CDV-1", issued=None, root=True):
    """A CDAR message sent by the buyer (its platform) with the given references."""
    issued = issued or day(-20)
    body = (
        "<rsm:ExchangedDocumentContext><ram:GuidelineSpecifiedDocumentContextParameter>"
        "<ram:ID>urn.cpro.gouv.fr:1p0:CDV:invoice</ram:ID></ram:GuidelineSpecifiedDocumentContextParameter>"
        "</rsm:ExchangedDocumentContext>"
        "<rsm:ExchangedDocument><ram:ID>%(id)s</ram:ID>"
        '<ram:IssueDateTime><udt:DateTimeString format="204">%(issued)s090000</udt:DateTimeString>'
        "</ram:IssueDateTime>"
        '<ram:SenderTradeParty><ram:GlobalID schemeID="0002">%(buyer)s</ram:GlobalID>'
        "<ram:Name>Boulangerie Martin SARL</ram:Name><ram:RoleCode>BY</ram:RoleCode></ram:SenderTradeParty>"
        "</rsm:ExchangedDocument>"
        "<rsm:AcknowledgementDocument><ram:TypeCode>23</ram:TypeCode>%(references)s</rsm:AcknowledgementDocument>"
    ) % {
        "id": document_id,
        "issued": issued.strftime("%Y%m%d"),
        "buyer": BUYER_SIREN,
        "references": "".join(references),
    }
    return "<rsm:CrossDomainAcknowledgementAndResponse %s>%s</rsm:CrossDomainAcknowledgementAndResponse>" % (
        NAMESPACES if root else "",
        body,
    )


def batch(messages):
    """Several CDAR messages in one file, under a wrapping root."""
    return '<?xml version="1.0" encoding="UTF-8"?><Messages %s>%s</Messages>' % (
        NAMESPACES,
        "".join(messages),
    )


def sample(name):
    with open(file_path("account_credit_recovery/tests/data/%s" % name), encoding="utf-8") as handle:
        return handle.read()


class EinvoiceCommon(CreditRecoveryCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.partner_id.company_registry = SELLER_SIREN
        cls.customer.write(
            {
                "company_registry": BUYER_SIREN,
                "email": "compta@boulangerie-martin.fr",
                "credit_controller_id": cls.credit_controller.id,
            }
        )
        cls.cron = cls.env.ref("account_credit_recovery.ir_cron_credit_recovery_run")
        cls.Action = cls.env["credit.recovery.action"]
        cls.Message = cls.env["credit.recovery.einvoice.message"]

    def _new_invoice(self, amount=1000.0):
        return self._invoice(self.customer, amount, INVOICE_DATE, due_date=DUE)

    def _import(self, content, user=None, name="statuts.xml", company=None):
        """Import ``content`` through the upload wizard, as the credit controller by default."""
        user = user or self.credit_controller
        attachment = self.env["ir.attachment"].create(
            {
                "name": name,
                "datas": base64.b64encode(content.encode()),
                "res_model": "credit.recovery.einvoice.import.wizard",
            }
        )
        wizard = (
            self.env["credit.recovery.einvoice.import.wizard"]
            .with_user(user)
            .create({"company_id": (company or self.company).id, "attachment_ids": [(6, 0, attachment.ids)]})
        )
        action = wizard.action_import()
        return self.Message.browse(action["domain"][0][2])

    def _receive(self, invoice, code, when=-20, **kwargs):
        """Import one status ``code`` about ``invoice``, dated ``when`` days from the due date."""
        with freeze_time(day(when)):
            return self._import(
                message(
                    [reference(invoice.name, code, status_date=day(when), **kwargs)],
                    document_id="CDV-%s-%s-%s" % (invoice.id, code, when),
                    issued=day(when),
                )
            )

    def _run(self, offset):
        with freeze_time(day(offset)):
            self.cron.method_direct_trigger()
        return self.Action.search([("partner_id", "=", self.customer.id), ("date", "=", day(offset))])
