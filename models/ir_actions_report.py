import io
from collections import OrderedDict

import lxml.html
from markupsafe import Markup
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from odoo import models
from odoo.tools.pdf import PdfFileReader, PdfFileWriter

INVOICE_REPORTS = ("account.report_invoice", "account.report_invoice_with_payments")
# The letters printed by batches (the day's letters, the formal notices): one document for wkhtmltopdf.
LETTER_REPORTS = (
    "account_credit_recovery.report_credit_recovery_letter",
    "account_credit_recovery.report_credit_recovery_formal_notice",
)


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _render_qweb_pdf(self, report_ref, res_ids=None, data=None):
        # Printing an invoice from the Print menu calls the report directly: apply the pre-send check there too.
        report = self._get_report(report_ref)
        if report.report_name in INVOICE_REPORTS and res_ids:
            ids = [res_ids] if isinstance(res_ids, int) else res_ids
            invoices = self.env["account.move"].browse(ids).filtered(lambda move: move.is_sale_document())
            invoices._credit_presend_check_allowed()
        return super()._render_qweb_pdf(report_ref, res_ids=res_ids, data=data)

    def _get_rendering_context(self, report, docids, data):
        # The formal notice has no report model of its own: however it is printed (button, report route),
        # a notice not posted yet is not rendered for a customer who may have paid since the decision.
        if report.report_name == LETTER_REPORTS[1] and docids:
            notices = self.env["credit.recovery.action"].browse(docids)
            notices.filtered(lambda action: action.state not in ("done", "cancel"))._check_no_payment_signal()
        return super()._get_rendering_context(report, docids, data)

    def _prepare_html(self, html, report_model=False):
        """Letters printed together make one HTML document, each letter starting on a new page.

        Odoo hands wkhtmltopdf one HTML file per record; the wkhtmltopdf builds without patched Qt (the
        Debian package) fail on several files ("Exit with code 1"), which left the batch's PDF empty and the
        report route answering HTTP 500. One document prints the same pages in the same order, and Odoo then
        splits it per record by pages when each letter is one page long.
        """
        bodies, res_ids, header, footer, paperformat_args = super()._prepare_html(
            html, report_model=report_model
        )
        if self.report_name in LETTER_REPORTS and len(bodies) > 1:
            bodies = [self._credit_recovery_merge_bodies(bodies)]
        return bodies, res_ids, header, footer, paperformat_args

    def _credit_recovery_merge_bodies(self, bodies):
        """One HTML document with the content of every body of ``bodies``, a page break between them."""
        document = lxml.html.document_fromstring(str(bodies[0]))
        target = document.body
        for body in bodies[1:]:
            other = lxml.html.document_fromstring(str(body)).body
            for index, node in enumerate(other):
                if index == 0:
                    node.set(
                        "style", ";".join(filter(None, ["page-break-before: always", node.get("style")]))
                    )
                target.append(node)
        return Markup(lxml.html.tostring(document, encoding="unicode", doctype="<!DOCTYPE html>"))

    def _render_qweb_pdf_prepare_streams(self, report_ref, data, res_ids=None):
        """The module's letters carry "Page X / Y" at the foot of each page, counted per letter.

        Debian's wkhtmltopdf prints no report footer, so the numbers are stamped on the rendered PDF, letter
        by letter. When the batch's one PDF cannot be split per letter (a letter runs over a page and
        wkhtmltopdf without patched Qt writes no outline to split it by), each letter is printed on its
        own, so that each still starts at page 1.
        """
        streams = super()._render_qweb_pdf_prepare_streams(report_ref, data, res_ids=res_ids)
        report = self._get_report(report_ref)
        if report.report_name not in LETTER_REPORTS:
            return streams
        if streams.get(False) and res_ids and len(res_ids) > 1 and len(set(res_ids)) == len(res_ids):
            streams = OrderedDict()
            for res_id in res_ids:
                single = super()._render_qweb_pdf_prepare_streams(
                    report_ref, dict(data or {}), res_ids=[res_id]
                )
                streams[res_id] = single[res_id]
        # Each letter is numbered in the language it is printed in.
        actions = self.env["credit.recovery.action"].browse([res_id for res_id in streams if res_id])
        langs = {action.id: action._letter_lang() for action in actions}
        for res_id, stream_data in streams.items():
            if not stream_data["stream"] or (stream_data["attachment"] and report.attachment_use):
                continue  # a stored copy was numbered when it was printed
            lang = langs.get(res_id) or self.env.lang
            stream_data["stream"] = self.with_context(lang=lang)._credit_recovery_number_pages(
                stream_data["stream"]
            )
        return streams

    def _credit_recovery_number_pages(self, stream):
        """``stream`` (a PDF) with "Page X / Y" stamped at the bottom right of each page."""
        reader = PdfFileReader(stream, strict=False)
        count = len(reader.pages)
        packet = io.BytesIO()
        stamp = canvas.Canvas(packet)
        for number, page in enumerate(reader.pages, start=1):
            width, height = float(abs(page.mediabox.width)), float(abs(page.mediabox.height))
            stamp.setPageSize((width, height))
            stamp.setFont("Helvetica", 8)
            stamp.setFillColor(colors.Color(0.27, 0.27, 0.27))
            # In the bottom margin (10 mm), right-aligned on the text's right margin (15 mm).
            stamp.drawRightString(
                width - 15 * mm,
                4 * mm,
                self.env._("Page %(page)s / %(count)s", page=number, count=count),
            )
            stamp.showPage()
        stamp.save()
        numbers = PdfFileReader(packet, strict=False)
        writer = PdfFileWriter()
        for page, page_number in zip(reader.pages, numbers.pages, strict=True):
            page.merge_page(page_number)
            writer.add_page(page)
        output = io.BytesIO()
        writer.write(output)
        return output
