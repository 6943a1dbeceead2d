"""French e-invoicing lifecycle messages (CDAR, UN/CEFACT CrossDomainAcknowledgementAndResponse D22B).

Pure Python over lxml, no ORM. The French profile (AFNOR XP Z12-012, external specifications of the reform)
carries one status per ``ram:ReferenceReferencedDocument`` of ``rsm:AcknowledgementDocument``:

- the invoice: ``ram:IssuerAssignedID`` (its number), ``ram:FormattedIssueDateTime/qdt:DateTimeString``
  (its issue date, format 102), ``ram:IssuerTradeParty/ram:GlobalID`` (the seller, SIREN with scheme 0002);
- the status: ``ram:ProcessConditionCode`` (200-228) and ``ram:ProcessCondition`` (its label);
- its details: ``ram:SpecifiedDocumentStatus`` with ``ram:ReferenceDateTime``, ``ram:ReasonCode``,
  ``ram:Reason``, ``ram:IncludedNote/ram:Content`` and ``ram:SpecifiedDocumentCharacteristic`` (an amount:
  ``ram:TypeCode`` such as MEN, amount received, and ``ram:ValueAmount``);
- who sent it: ``rsm:ExchangedDocument/ram:SenderTradeParty`` (``ram:GlobalID``, ``ram:RoleCode``,
  ``ram:Name``), when: ``rsm:ExchangedDocument/ram:IssueDateTime``.

A file may hold one message, or several under any wrapping root element; a message may hold several
statuses. ``parse_cdar`` reads them all or raises ``CdarError``: a file is read whole or refused whole.
"""

import json
import re
from datetime import date, datetime, timezone

from lxml import etree

NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossDomainAcknowledgementAndResponse:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
    "qdt": "urn:un:unece:uncefact:data:standard:QualifiedDataType:100",
}
PROFILE_ID = "urn.cpro.gouv.fr:1p0:CDV:invoice"
ROOT_TAG = "{%s}CrossDomainAcknowledgementAndResponse" % NS["rsm"]
SIREN_SCHEME = "0002"
SIRET_SCHEME = "0009"
# Characteristic type codes of the amounts a status may carry.
AMOUNT_RECEIVED = "MEN"  # montant encaissé (212)
AMOUNT_PAID = "MPA"  # montant payé (211)
AMOUNT_APPROVED = "MAP"  # montant approuvé (206)
AMOUNT_NOT_APPROVED = "MNA"  # montant non approuvé (206)
_CODE_RE = re.compile(r"^\d{3}$")
_SIREN_RE = re.compile(r"^\d{9}$")


class CdarError(ValueError):
    """A message that cannot be read: ``key`` names the problem, ``params`` its details (for translation)."""

    def __init__(self, key, **params):
        super().__init__(key, params)
        self.key = key
        self.params = params


def _text(node, path):
    found = node.find(path, NS) if node is not None else None
    if found is None or found.text is None:
        return ""
    return found.text.strip()


def parse_datetime(value, fmt=None):
    """A ``datetime`` from a UN/CEFACT date string (formats 102, 203, 204) or ISO 8601; None if empty."""
    value = (value or "").strip()
    if not value:
        return None
    patterns = {"102": "%Y%m%d", "203": "%Y%m%d%H%M", "204": "%Y%m%d%H%M%S"}
    if fmt in patterns:
        return datetime.strptime(value, patterns[fmt])
    digits = {8: "%Y%m%d", 12: "%Y%m%d%H%M", 14: "%Y%m%d%H%M%S"}
    if value.isdigit() and len(value) in digits:
        return datetime.strptime(value, digits[len(value)])
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo is None else parsed.astimezone(timezone.utc).replace(tzinfo=None)


def _date_of(node, path):
    found = node.find(path, NS) if node is not None else None
    if found is None or not (found.text or "").strip():
        return None
    try:
        return parse_datetime(found.text, found.get("format"))
    except ValueError as error:
        raise CdarError("bad_date", value=found.text.strip()) from error


def _siren(value):
    digits = re.sub(r"\s", "", value or "")
    return digits[:9] if digits.isdigit() and len(digits) in (9, 14) else ""


def _party_siren(party):
    if party is None:
        return ""
    ids = party.findall("ram:GlobalID", NS) + party.findall("ram:ID", NS)
    for scheme in (SIREN_SCHEME, SIRET_SCHEME):
        for node in ids:
            if node.get("schemeID") == scheme and _siren(node.text):
                return _siren(node.text)
    legal = _text(party, "ram:SpecifiedLegalOrganization/ram:ID")
    return _siren(legal) or next((_siren(node.text) for node in ids if _siren(node.text)), "")


def _parse_message(message, index):
    exchanged = message.find("rsm:ExchangedDocument", NS)
    if exchanged is None:
        raise CdarError("no_exchanged_document", index=index)
    sender = exchanged.find("ram:SenderTradeParty", NS)
    if sender is None:
        sender = exchanged.find("ram:IssuerTradeParty", NS)
    issued = _date_of(exchanged, "ram:IssueDateTime/udt:DateTimeString")
    if issued is None:
        raise CdarError("missing", field="ExchangedDocument/IssueDateTime", index=index)
    header = {
        "document_id": _text(exchanged, "ram:ID"),
        "issue_datetime": issued,
        "sender_id": _text(sender, "ram:GlobalID") or _text(sender, "ram:ID"),
        "sender_role": _text(sender, "ram:RoleCode"),
        "sender_name": _text(sender, "ram:Name"),
    }
    references = message.findall("rsm:AcknowledgementDocument/ram:ReferenceReferencedDocument", NS)
    if not references:
        raise CdarError("no_status", index=index)
    statuses = []
    for reference in references:
        detail = reference.find("ram:SpecifiedDocumentStatus", NS)
        amounts, currency = {}, ""
        for characteristic in reference.findall(
            "ram:SpecifiedDocumentStatus/ram:SpecifiedDocumentCharacteristic", NS
        ):
            amount_node = characteristic.find("ram:ValueAmount", NS)
            if amount_node is None or not (amount_node.text or "").strip():
                continue
            try:
                amount = float(amount_node.text.strip())
            except ValueError as error:
                raise CdarError("bad_amount", value=amount_node.text.strip(), index=index) from error
            type_code = _text(characteristic, "ram:TypeCode") or AMOUNT_RECEIVED
            amounts[type_code] = amounts.get(type_code, 0.0) + amount
            currency = currency or amount_node.get("currencyID") or ""
        values = {
            **header,
            "invoice_number": _text(reference, "ram:IssuerAssignedID"),
            "invoice_date": _date_of(reference, "ram:FormattedIssueDateTime/qdt:DateTimeString")
            or _date_of(reference, "ram:FormattedIssueDateTime/udt:DateTimeString"),
            "seller_siren": _party_siren(reference.find("ram:IssuerTradeParty", NS)),
            "code": _text(reference, "ram:ProcessConditionCode"),
            "label": _text(reference, "ram:ProcessCondition"),
            "status_datetime": _date_of(detail, "ram:ReferenceDateTime/udt:DateTimeString") or issued,
            "reason_code": _text(detail, "ram:ReasonCode"),
            "reason": _text(detail, "ram:Reason"),
            "note": "\n".join(
                node.text.strip()
                for node in (detail.findall("ram:IncludedNote/ram:Content", NS) if detail is not None else [])
                if node.text and node.text.strip()
            ),
            "amounts": amounts,
            "currency": currency,
        }
        statuses.append(check_status(values, index))
    return statuses


def check_status(values, index=1):
    """``values`` completed and checked: the fields without which a status matches nothing."""
    if not values.get("invoice_number"):
        raise CdarError("missing", field="IssuerAssignedID", index=index)
    if not values.get("invoice_date"):
        raise CdarError("missing", field="FormattedIssueDateTime", index=index)
    if not _CODE_RE.match(values.get("code") or ""):
        raise CdarError("bad_code", value=values.get("code") or "", index=index)
    if not _SIREN_RE.match(values.get("seller_siren") or ""):
        raise CdarError("missing", field="IssuerTradeParty/GlobalID (SIREN)", index=index)
    if isinstance(values["invoice_date"], datetime):
        values["invoice_date"] = values["invoice_date"].date()
    return values


def parse_cdar(data):
    """Every status of the CDAR message(s) in ``data`` (bytes), as dicts; ``CdarError`` if anything is wrong."""
    if not data or not data.strip():
        raise CdarError("empty")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True)
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as error:
        raise CdarError("not_xml", error=str(error)) from error
    messages = (
        [root] if root.tag == ROOT_TAG else root.findall(".//rsm:CrossDomainAcknowledgementAndResponse", NS)
    )
    if not messages:
        raise CdarError("not_cdar", root=etree.QName(root).localname)
    statuses = []
    for index, message in enumerate(messages, start=1):
        statuses += _parse_message(message, index)
    return statuses


def parse_json(data):
    """Statuses posted as JSON: ``{"xml": "<CDAR...>"}``, or ``{"statuses": [{...}]}`` / a list of statuses.

    A status is ``{"invoice_number", "invoice_date" (YYYY-MM-DD), "seller_siren", "code", "label", "date",
    "reason_code", "reason", "note", "amount", "amount_type", "currency", "sender_id", "sender_name",
    "sender_role", "document_id"}``.
    """
    try:
        payload = json.loads(data)
    except (ValueError, UnicodeDecodeError) as error:
        raise CdarError("not_json", error=str(error)) from error
    if isinstance(payload, dict) and isinstance(payload.get("xml"), str):
        return parse_cdar(payload["xml"].encode())
    items = payload.get("statuses") if isinstance(payload, dict) else payload
    if not isinstance(items, list) or not items:
        raise CdarError("no_status", index=1)
    statuses = []
    for index, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise CdarError("no_status", index=index)
        try:
            invoice_date = (
                date.fromisoformat(str(item.get("invoice_date") or "")) if item.get("invoice_date") else None
            )
            status_datetime = parse_datetime(str(item.get("date") or ""))
            amount = item.get("amount")
            amounts = (
                {item.get("amount_type") or AMOUNT_RECEIVED: float(amount)}
                if amount not in (None, "")
                else {}
            )
        except ValueError as error:
            raise CdarError("bad_value", error=str(error), index=index) from error
        statuses.append(
            check_status(
                {
                    "document_id": str(item.get("document_id") or ""),
                    "issue_datetime": status_datetime,
                    "sender_id": str(item.get("sender_id") or ""),
                    "sender_role": str(item.get("sender_role") or ""),
                    "sender_name": str(item.get("sender_name") or ""),
                    "invoice_number": str(item.get("invoice_number") or "").strip(),
                    "invoice_date": invoice_date,
                    "seller_siren": _siren(str(item.get("seller_siren") or "")),
                    "code": str(item.get("code") or "").strip(),
                    "label": str(item.get("label") or ""),
                    "status_datetime": status_datetime,
                    "reason_code": str(item.get("reason_code") or ""),
                    "reason": str(item.get("reason") or ""),
                    "note": str(item.get("note") or ""),
                    "amounts": amounts,
                    "currency": str(item.get("currency") or ""),
                },
                index,
            )
        )
    return statuses


def _sub(parent, tag, text=None, **attrib):
    prefix, name = tag.split(":")
    node = etree.SubElement(parent, "{%s}%s" % (NS[prefix], name), attrib)
    if text is not None:
        node.text = text
    return node


def build_cdar(values):
    """A CDAR message (bytes) of one status the seller sends, e.g. 212 *Encaissée*.

    ``values``: ``document_id``, ``issue_datetime``, ``sender_siren``, ``sender_name``, ``recipient_siren``,
    ``invoice_number``, ``invoice_date``, ``code``, ``label``, ``status_datetime``, ``amount``, ``currency``,
    ``amount_type`` (MEN by default).
    """
    root = etree.Element(ROOT_TAG, nsmap=NS)
    context = _sub(root, "rsm:ExchangedDocumentContext")
    _sub(_sub(context, "ram:BusinessProcessSpecifiedDocumentContextParameter"), "ram:ID", "REGULATED")
    _sub(_sub(context, "ram:GuidelineSpecifiedDocumentContextParameter"), "ram:ID", PROFILE_ID)
    exchanged = _sub(root, "rsm:ExchangedDocument")
    _sub(exchanged, "ram:ID", values["document_id"])
    _sub(exchanged, "ram:Name", "Statut facture")
    issued = _sub(exchanged, "ram:IssueDateTime")
    _sub(issued, "udt:DateTimeString", values["issue_datetime"].strftime("%Y%m%d%H%M%S"), format="204")
    sender = _sub(exchanged, "ram:SenderTradeParty")
    _sub(sender, "ram:GlobalID", values["sender_siren"], schemeID=SIREN_SCHEME)
    _sub(sender, "ram:Name", values["sender_name"])
    _sub(sender, "ram:RoleCode", "SE")
    if values.get("recipient_siren"):
        recipient = _sub(exchanged, "ram:RecipientTradeParty")
        _sub(recipient, "ram:GlobalID", values["recipient_siren"], schemeID=SIREN_SCHEME)
        _sub(recipient, "ram:RoleCode", "BY")
    acknowledgement = _sub(root, "rsm:AcknowledgementDocument")
    multiple = _sub(acknowledgement, "ram:MultipleReferencesIndicator")
    _sub(multiple, "udt:Indicator", "false")
    _sub(acknowledgement, "ram:TypeCode", "23")
    ack_issued = _sub(acknowledgement, "ram:IssueDateTime")
    _sub(ack_issued, "udt:DateTimeString", values["issue_datetime"].strftime("%Y%m%d%H%M%S"), format="204")
    reference = _sub(acknowledgement, "ram:ReferenceReferencedDocument")
    _sub(reference, "ram:IssuerAssignedID", values["invoice_number"])
    _sub(reference, "ram:TypeCode", "380")
    formatted = _sub(reference, "ram:FormattedIssueDateTime")
    _sub(formatted, "qdt:DateTimeString", values["invoice_date"].strftime("%Y%m%d"), format="102")
    _sub(reference, "ram:ProcessConditionCode", values["code"])
    _sub(reference, "ram:ProcessCondition", values["label"])
    issuer = _sub(reference, "ram:IssuerTradeParty")
    _sub(issuer, "ram:GlobalID", values["sender_siren"], schemeID=SIREN_SCHEME)
    detail = _sub(reference, "ram:SpecifiedDocumentStatus")
    status_date = _sub(detail, "ram:ReferenceDateTime")
    _sub(status_date, "udt:DateTimeString", values["status_datetime"].strftime("%Y%m%d"), format="102")
    if values.get("amount") is not None:
        characteristic = _sub(detail, "ram:SpecifiedDocumentCharacteristic")
        _sub(characteristic, "ram:TypeCode", values.get("amount_type") or AMOUNT_RECEIVED)
        _sub(characteristic, "ram:ValueAmount", "%.2f" % values["amount"], currencyID=values["currency"])
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
