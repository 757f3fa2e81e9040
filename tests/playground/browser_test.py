"""The playground in a real browser: Debian's chromium, headless, driven by
Playwright for Python (docs/playground.md). Run by .ci/run after
`bash playground/build.sh`:

    PYTHONPATH=~/.cache/archpolicy/playwright-1.65.2 python3 tests/playground/browser_test.py

It serves playground/dist on a free local port, loads the page, types a
proposal whose 45 s requests sit behind API Gateway, sees the 29 s
diagnostic at the line that says 45s, changes it to 20s and sees it go,
then opens the page's shared link in a new browser context and sees the
same state. Screenshots go to target/playground-screenshots/ (look at them),
with the time from navigation to the first verdict.
"""

import functools
import http.server
import os
import sys
import threading
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
DIST = ROOT / "playground" / "dist"
SHOTS = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target")) / "playground-screenshots"
CHROMIUM = os.environ.get("ARCHPOLICY_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
TIMEOUT_MS = 20_000

# Lambda behind a REST API: the gateway gives up after 29 s, the function
# would run 60 s, and requests take 45 s. Line 8 says so.
PROPOSAL = """\
name: reports-api
pattern: lambda_api_gateway
environment: production
workload:
  requests_per_month: 1000000
  avg_duration: 2s
  peak_rps: 20
  max_request_duration: 45s
gateway: { api: rest, authorizer: cognito, waf: true }
function: { runtime: python3.13, memory: 1024MiB, timeout: 60s, architecture: arm64 }
data:
  - { kind: dynamodb }
observability: { logs: cloudwatch, tracing: xray }
"""
LONG_LINE = 8


def serve(directory):
    handler = functools.partial(QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def sync_limit_finding(page):
    return page.locator('#findings li[data-policy="gateway-sync-limit"]')


def main():
    if not (DIST / "index.html").is_file():
        sys.exit(f"no {DIST}/index.html: run `bash playground/build.sh` first")
    SHOTS.mkdir(parents=True, exist_ok=True)
    server = serve(DIST)
    url = f"http://127.0.0.1:{server.server_address[1]}/index.html"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.set_default_timeout(TIMEOUT_MS)

        # Load: the engine starts and gives the default proposal a verdict.
        page.goto(url)
        page.wait_for_function("window.archpolicyReady === true")
        expect(page.locator("#verdict")).not_to_have_attribute("data-state", "loading")
        first_verdict_ms = page.evaluate("window.archpolicyFirstVerdictMs")
        assert first_verdict_ms > 0, first_verdict_ms
        page.screenshot(path=str(SHOTS / "1-loaded.png"), full_page=True)

        # Type a proposal with 45 s requests behind API Gateway.
        proposal = page.locator("#proposal")
        proposal.click()
        page.keyboard.press("Control+A")
        page.keyboard.press("Delete")
        proposal.press_sequentially(PROPOSAL, delay=0)
        expect(page.locator("#verdict")).to_have_attribute("data-state", "deny")
        finding = sync_limit_finding(page)
        expect(finding).to_have_count(1)
        expect(finding.locator(".message")).to_have_text("requests run up to 45s, but the path gives up after 29s")
        expect(finding.locator(".where")).to_contain_text(f"proposal.arch.yaml:{LONG_LINE}:25")
        # At the right line: the gutter marks it as a deny, the span under 45s.
        marked = page.locator("#proposal-editor .gutter div.deny")
        expect(marked).to_have_attribute("data-line", str(LONG_LINE))
        expect(page.locator("#proposal-editor .marks mark.deny")).to_have_text("45s")
        expect(page.locator("#proposal-diagnostics li.deny")).to_contain_text(
            f"{LONG_LINE}:25  deny(gateway-sync-limit) requests run up to 45s, but the path gives up after 29s"
        )
        assert page.locator("#proposal").input_value() == PROPOSAL
        page.screenshot(path=str(SHOTS / "2-denied-at-45s.png"), full_page=True)

        # Change 45s to 20s, typing over it: the finding goes.
        start = PROPOSAL.index("45s")
        page.evaluate(f"document.getElementById('proposal').setSelectionRange({start}, {start + 3})")
        page.keyboard.type("20s")
        expect(sync_limit_finding(page)).to_have_count(0)
        expect(page.locator("#verdict")).not_to_have_attribute("data-state", "deny")
        expect(page.locator("#proposal-editor .gutter div.deny")).to_have_count(0)
        fixed = PROPOSAL.replace("45s", "20s")
        assert page.locator("#proposal").input_value() == fixed
        verdict = page.locator("#verdict").text_content()
        page.screenshot(path=str(SHOTS / "3-fixed-at-20s.png"), full_page=True)

        # The shared link, opened in a new context, shows the same state.
        page.locator("#share").click()
        page.wait_for_function("location.hash.length > 2")
        page.wait_for_timeout(300)  # the state after the last edit is written
        link = page.evaluate("location.href")
        assert "#z" in link, link
        other = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
        other.set_default_timeout(TIMEOUT_MS)
        other.goto(link)
        other.wait_for_function("window.archpolicyReady === true")
        assert other.locator("#proposal").input_value() == fixed
        assert other.locator("#policy").input_value() == page.locator("#policy").input_value()
        assert other.locator("#standard").is_checked()
        expect(other.locator("#verdict")).to_have_text(verdict)
        expect(sync_limit_finding(other)).to_have_count(0)
        other.screenshot(path=str(SHOTS / "4-shared-link.png"), full_page=True)

        assert not errors, errors
        browser.close()
    server.shutdown()
    (SHOTS / "first-verdict.txt").write_text(f"{first_verdict_ms:.0f} ms from navigation start to the first verdict\n")
    print(f"playground browser test passed: first verdict {first_verdict_ms:.0f} ms after navigation; screenshots in {SHOTS}")


if __name__ == "__main__":
    main()
