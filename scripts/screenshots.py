"""`make screenshots`: the README's pictures, taken from the running demo (`make demo`) in headless Chromium.

Logs in as the demo's Credit Controller, photographs the dashboard, a customer's Credit page and the aged
balance, and turns the first page of a reminder letter and of a formal notice (printed by the server) into
PNG with pdftoppm. Chromium is driven through its DevTools protocol (websocket-client).
"""

import argparse
import base64
import json
import os
import shutil
import subprocess
import tempfile
import time
import urllib.parse

import requests
import websocket

LOGIN = "controleur"
WIDTH, HEIGHT = 1440, 900


class Browser:
    """A headless Chromium with one page, driven over the DevTools protocol."""

    def __init__(self, chromium, port=9333):
        self.profile = tempfile.mkdtemp(prefix="acr-screenshots-")
        self.process = subprocess.Popen(
            [
                chromium,
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                f"--remote-debugging-port={port}",
                f"--user-data-dir={self.profile}",
                f"--window-size={WIDTH},{HEIGHT}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _attempt in range(50):
            try:
                pages = requests.get(f"http://127.0.0.1:{port}/json", timeout=2).json()
                break
            except requests.RequestException:
                time.sleep(0.2)
        else:
            raise RuntimeError("Chromium did not open its DevTools port.")
        page = next(target for target in pages if target["type"] == "page")
        self.socket = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=60)
        self.next_id = 0
        self.call("Page.enable")
        self.call(
            "Emulation.setDeviceMetricsOverride",
            width=WIDTH,
            height=HEIGHT,
            deviceScaleFactor=1,
            mobile=False,
        )

    def call(self, method, **params):
        self.next_id += 1
        self.socket.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return result.get("result", {}).get("value")

    def wait_for(self, selector, timeout=60):
        """Wait until ``selector`` is in the page, then for the web client to be idle."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.evaluate(f"!!document.querySelector({json.dumps(selector)})"):
                time.sleep(1.5)  # fonts, graphs and last RPCs
                return
            time.sleep(0.3)
        raise RuntimeError(f"{selector} did not show up.")

    def open(self, url, selector):
        self.call("Page.navigate", url=url)
        self.wait_for(selector)

    def screenshot(self, path):
        data = self.call("Page.captureScreenshot", format="png")["data"]
        with open(path, "wb") as handle:
            handle.write(base64.b64decode(data))
        print(f"  {path}")

    def close(self):
        self.socket.close()
        self.process.terminate()
        self.process.wait(timeout=10)
        shutil.rmtree(self.profile, ignore_errors=True)


def rpc(session, base_url, model, method, *args, **kwargs):
    response = session.post(
        f"{base_url}/web/dataset/call_kw",
        json={
            "jsonrpc": "2.0",
            "method": "call",
            "params": {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        },
        timeout=120,
    ).json()
    if "error" in response:
        raise RuntimeError(response["error"]["data"]["message"])
    return response["result"]


def pdf_page_png(session, base_url, report, record_id, path):
    """The first page of ``report`` for ``record_id``, printed by the server, as a PNG."""
    response = session.get(f"{base_url}/report/pdf/{report}/{record_id}", timeout=300)
    response.raise_for_status()
    with tempfile.TemporaryDirectory() as tmp:
        pdf = os.path.join(tmp, "letter.pdf")
        with open(pdf, "wb") as handle:
            handle.write(response.content)
        subprocess.run(
            ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", pdf, path[: -len(".png")]],
            check=True,
        )
    print(f"  {path}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8069")
    parser.add_argument("--database", required=True)
    parser.add_argument("--output", required=True)
    parser.add_argument("--chromium", default=shutil.which("chromium") or "chromium")
    args = parser.parse_args()
    os.makedirs(args.output, exist_ok=True)
    base = args.base_url.rstrip("/")

    session = requests.Session()
    login = session.post(
        f"{base}/web/session/authenticate",
        json={"jsonrpc": "2.0", "params": {"db": args.database, "login": LOGIN, "password": LOGIN}},
        timeout=60,
    ).json()
    if "error" in login or not login.get("result", {}).get("uid"):
        raise SystemExit(f"Cannot log in as {LOGIN} on {args.database}: run `make demo` first.")
    customer = rpc(
        session,
        base,
        "res.partner",
        "search_read",
        [("name", "=", "Électricité Bernard SAS")],
        fields=["id", "credit_portal_url"],
        limit=1,
    )
    letter = rpc(
        session,
        base,
        "credit.recovery.action",
        "search_read",
        [("channel", "in", ["letter", "email"]), ("state", "!=", "cancel")],
        fields=["id"],
        order="id desc",
        limit=1,
    )
    notice = rpc(
        session,
        base,
        "credit.recovery.action",
        "search_read",
        [("channel", "=", "registered_letter")],
        fields=["id"],
        order="id desc",
        limit=1,
    )

    browser = Browser(args.chromium)
    try:
        browser.call(
            "Network.setCookie",
            name="session_id",
            value=session.cookies["session_id"],
            url=base,
        )
        shots = os.path.join(args.output, "{}.png").format
        browser.open(f"{base}/odoo/credit-recovery", ".o_credit_recovery_dashboard .o_crd_tiles")
        browser.screenshot(shots("dashboard"))
        if customer:
            browser.open(f"{base}/odoo/res.partner/{customer[0]['id']}", ".o_form_view .o_notebook")
            browser.evaluate(
                "document.querySelector(\".o_notebook .nav-link[name='credit_recovery']\")?.click()"
            )
            browser.wait_for(".o_notebook .tab-pane.active [name='credit_score']")
            browser.screenshot(shots("customer_credit_page"))
        if customer and customer[0]["credit_portal_url"]:
            # The customer's own page, as the link of its reminders opens it (on this server).
            # Without the credit controller's session: what the customer, who has no login, sees.
            path = urllib.parse.urlsplit(customer[0]["credit_portal_url"]).path
            browser.call("Network.deleteCookies", name="session_id", url=base)
            browser.open(f"{base}{path}", ".o_credit_portal tr[name='statement_item']")
            browser.screenshot(shots("customer_page"))
            browser.call(
                "Network.setCookie", name="session_id", value=session.cookies["session_id"], url=base
            )
        browser.open(
            f"{base}/odoo/action-account_credit_recovery.credit_recovery_aged_balance_wizard_action",
            ".o_action_manager .o_view_controller, .o_action_manager .o_form_view",
        )
        browser.evaluate("document.querySelector(\"button[name='action_compute']\")?.click()")
        time.sleep(3)
        browser.screenshot(shots("aged_balance"))
    finally:
        browser.close()
    if letter:
        pdf_page_png(
            session,
            base,
            "account_credit_recovery.report_credit_recovery_letter",
            letter[0]["id"],
            shots("reminder_letter"),
        )
    if notice:
        pdf_page_png(
            session,
            base,
            "account_credit_recovery.report_credit_recovery_formal_notice",
            notice[0]["id"],
            shots("formal_notice"),
        )


if __name__ == "__main__":
    main()
