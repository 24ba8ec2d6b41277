"""Screenshots of the running demo, driven in headless Chromium (make screenshots).

Logs in as admin through Odoo's own session endpoint, then drives the real UI
over the Chrome DevTools protocol; the PDFs are downloaded and rasterised with
pdftoppm. Usage: screenshots.py BASE_URL DATABASE OUTPUT_DIR
"""

import base64
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests
import websocket

BASE, DB, OUT = sys.argv[1], sys.argv[2], Path(sys.argv[3])
OUT.mkdir(parents=True, exist_ok=True)

session = requests.Session()
session.post(
    f"{BASE}/web/session/authenticate",
    json={"jsonrpc": "2.0", "params": {"db": DB, "login": "admin", "password": "admin"}},
    timeout=60,
).raise_for_status()


def rpc(model, method, *args, **kwargs):
    response = session.post(
        f"{BASE}/web/dataset/call_kw",
        json={
            "jsonrpc": "2.0",
            "params": {"model": model, "method": method, "args": args, "kwargs": kwargs},
        },
        timeout=60,
    ).json()
    return response["result"]


def xmlid(name):
    return rpc("ir.model.data", "search_read", [("name", "=", name)], ["res_id"])[0]["res_id"]


profile = tempfile.mkdtemp()
chrome = subprocess.Popen(
    [
        "chromium", "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--user-data-dir={profile}", "--remote-debugging-port=9333", "--window-size=1400,900",
        "about:blank",
    ],
    stdout=subprocess.DEVNULL,
    stderr=subprocess.DEVNULL,
)  # fmt: skip
try:
    for _ in range(50):
        try:
            targets = requests.get("http://127.0.0.1:9333/json", timeout=2).json()
            page = next(t for t in targets if t["type"] == "page")
            break
        except (requests.ConnectionError, StopIteration):
            time.sleep(0.2)
    ws = websocket.create_connection(page["webSocketDebuggerUrl"], suppress_origin=True)
    counter = iter(range(1, 10_000))

    def cdp(method, **params):
        message_id = next(counter)
        ws.send(json.dumps({"id": message_id, "method": method, "params": params}))
        while True:
            answer = json.loads(ws.recv())
            if answer.get("id") == message_id:
                return answer.get("result", {})

    def js(expression):
        return cdp("Runtime.evaluate", expression=expression, awaitPromise=True)

    def wait_for(selector, timeout=120):
        # The first page builds the asset bundles: allow it time.
        deadline = time.time() + timeout
        probe = f"!!document.querySelector({json.dumps(selector)})"
        while not js(probe).get("result", {}).get("value"):
            if time.time() > deadline:
                raise TimeoutError(selector)
            time.sleep(0.5)
        time.sleep(1.5)  # let animations settle

    def shoot(name, url, ready, action=None, shown=None):
        cdp("Page.navigate", url=f"{BASE}{url}")
        wait_for(ready)
        if action:
            js(action)
            wait_for(shown)
        data = cdp("Page.captureScreenshot", format="png")["data"]
        (OUT / f"{name}.png").write_bytes(base64.b64decode(data))
        print("screenshot", name)

    cdp(
        "Emulation.setDeviceMetricsOverride",
        width=1400,
        height=900,
        deviceScaleFactor=1,
        mobile=False,
    )
    host = BASE.split("//")[1].split(":")[0]
    cdp(
        "Network.setCookie",
        name="session_id",
        value=session.cookies["session_id"],
        domain=host,
        path="/",
    )

    nuit = xmlid("demo_client_nuit")
    fermee = xmlid("demo_client_fermee")
    shoot(
        "contact_relationship_tab",
        f"/odoo/res.partner/{nuit}",
        ".o_form_view .o_notebook_headers",
        "[...document.querySelectorAll('.o_notebook_headers .nav-link')]"
        ".find((tab) => tab.getAttribute('name') === 'client_relationship').click()",
        "div[name='relationship_health_explanation']",
    )
    shoot(
        "clients_by_health",
        "/odoo/action-client_relationship.action_relationship_clients_by_health",
        ".o_list_view .o_data_row",
    )
    shoot(
        "who_pays_your_bills",
        "/odoo/action-client_relationship.action_relationship_who_pays",
        ".o_graph_renderer canvas",
    )
    shoot(
        "end_wizard",
        f"/odoo/res.partner/{nuit}",
        "button[name='action_end_relationship']",
        "document.querySelector(\"button[name='action_end_relationship']\").click()",
        ".modal div[name='reason_ids']",
    )
    quotation = rpc("sale.order", "search_read", [("partner_id", "=", nuit)], ["id"])[0]["id"]
    shoot(
        "quotation_deposit",
        f"/odoo/sales/{quotation}",
        ".o_form_view .alert-info[name='relationship_deposit']",
    )
    shoot(
        "deposit_settings",
        "/odoo/action-client_relationship.action_client_relationship_settings",
        "#relationship_deposit_rules",
        "document.querySelector('#relationship_deposit_rules').scrollIntoView({block: 'center'})",
        "#relationship_deposit_rules",
    )
    shoot(
        "after_hours_settings",
        "/odoo/action-client_relationship.action_client_relationship_settings",
        "#relationship_after_hours_reply",
        "document.querySelector('#relationship_working_hours').scrollIntoView({block: 'start'})",
        "#relationship_after_hours_reply",
    )
    termination = rpc(
        "client.relationship.termination", "search_read", [("partner_id", "=", fermee)], ["id"]
    )[0]["id"]
    shoot(
        "termination_registered_letter",
        f"/odoo/action-client_relationship.action_client_relationship_termination/{termination}",
        ".o_form_view .o_field_widget[name='registered_letter_number']",
    )
    # The client's page, as the link of the e-mail opens it, logged out.
    portal_url = rpc("client.relationship.termination", "get_portal_url", [termination])
    cdp("Network.clearBrowserCookies")
    shoot(
        "termination_portal",
        portal_url,
        "#relationship_end_acknowledge_button",
    )
    for name, report, record in (
        ("termination_letter", "client_relationship.report_termination_letter", termination),
        ("handover_dossier", "client_relationship.report_handover_dossier", fermee),
    ):
        pdf = session.get(f"{BASE}/report/pdf/{report}/{record}", timeout=120).content
        pdf_path = Path(profile) / f"{name}.pdf"
        pdf_path.write_bytes(pdf)
        subprocess.run(
            ["pdftoppm", "-png", "-r", "70", "-singlefile", pdf_path, OUT / name], check=True
        )
        print("screenshot", name)
finally:
    chrome.terminate()
