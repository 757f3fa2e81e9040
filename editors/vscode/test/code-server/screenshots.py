# Drives code-server (VS Code in a browser) in Debian's Chromium with
# Playwright for Python and takes screenshots of the archpolicy extension:
# a diagnostic, its quick fix, a hover, completion, and formatting.
# Run by run.sh, which starts code-server on a copy of workspace/.
# Usage: python3 screenshots.py URL OUT_DIR
import sys
from playwright.sync_api import sync_playwright

URL, OUT = sys.argv[1], sys.argv[2]


def shot(page, name):
    page.screenshot(path=f"{OUT}/{name}.png")


def open_file(page, name):
    page.locator(".explorer-folders-view .monaco-list-row", has_text=name).first.click()
    page.wait_for_timeout(2000)
    page.locator(".monaco-editor .view-lines").first.click()


def goto_line(page, line, col):
    page.keyboard.press("Control+g")
    page.wait_for_timeout(400)
    page.keyboard.type(f"{line}:{col}")
    page.keyboard.press("Enter")
    page.wait_for_timeout(500)


def command(page, name):
    page.keyboard.press("F1")
    page.wait_for_timeout(600)
    page.keyboard.type(name)
    page.wait_for_timeout(800)
    page.keyboard.press("Enter")


with sync_playwright() as p:
    browser = p.chromium.launch(
        executable_path="/usr/bin/chromium",
        args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
              "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    )
    page = browser.new_page(viewport={"width": 960, "height": 380})
    page.goto(URL)
    page.wait_for_selector(".monaco-workbench", timeout=60000)
    page.wait_for_timeout(3000)

    # The proposal's diagnostic (a misspelt key), shown by "Show Hover".
    open_file(page, "api.arch.yaml")
    page.wait_for_selector(".squiggly-error", timeout=60000)
    goto_line(page, 9, 4)
    page.keyboard.press("Control+k")
    page.keyboard.press("Control+i")
    page.wait_for_timeout(1500)
    shot(page, "vscode-diagnostic")
    page.keyboard.press("Escape")

    # Its quick fix.
    page.keyboard.press("Control+.")
    page.wait_for_timeout(1500)
    shot(page, "vscode-quick-fix")
    page.keyboard.press("Enter")
    page.wait_for_timeout(2500)

    # A key's hover.
    goto_line(page, 8, 4)
    page.keyboard.press("Control+k")
    page.keyboard.press("Control+i")
    page.wait_for_timeout(1500)
    shot(page, "vscode-hover")
    page.keyboard.press("Escape")

    # Completion of a key of `function:`.
    goto_line(page, 9, 4)
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    page.keyboard.type("arch")
    page.wait_for_timeout(500)
    page.keyboard.press("Control+Space")
    page.wait_for_timeout(1500)
    shot(page, "vscode-completion")
    page.keyboard.press("Escape")

    # Formatting a policy file.
    open_file(page, "draft.policy")
    page.wait_for_timeout(1500)
    shot(page, "vscode-format-before")
    command(page, "Format Document")
    page.wait_for_timeout(2000)
    shot(page, "vscode-format-after")
    browser.close()
