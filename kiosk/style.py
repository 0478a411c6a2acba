"""Touch-first look for a portrait kiosk: large type, thumb-sized buttons, no Streamlit chrome.

Why CSS and not a theme: Streamlit's theme sets colours only; the sizes that make a 32-inch portrait
screen usable with a finger (buttons at least 72 px tall, body text 22 px) need a stylesheet.
"""

from __future__ import annotations

KIOSK_CSS = """
<style>
#MainMenu, header[data-testid="stHeader"], footer, [data-testid="stToolbar"],
[data-testid="stDecoration"], [data-testid="stStatusWidget"] { display: none !important; }
.block-container { max-width: 900px; padding-top: 1.2rem; padding-bottom: 2rem; }
html, body, [data-testid="stAppViewContainer"] { font-size: 22px; }
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li { font-size: 1.15rem;
  line-height: 1.6; }
h1 { font-size: 2.6rem !important; } h2 { font-size: 2.0rem !important; } h3 { font-size: 1.6rem !important; }
.stButton > button, .stFormSubmitButton > button, .stDownloadButton > button {
  min-height: 76px; width: 100%; font-size: 1.4rem !important; font-weight: 700; border-radius: 18px; }
.stButton > button p, .stFormSubmitButton > button p { font-size: 1.4rem !important; }
[data-testid="stBaseButton-primary"], [data-testid="stBaseButton-primaryFormSubmit"],
[data-testid="stBaseButton-primary"]:hover, [data-testid="stBaseButton-primaryFormSubmit"]:hover,
[data-testid="stBaseButton-primary"]:focus, [data-testid="stBaseButton-primaryFormSubmit"]:focus,
[data-testid="stBaseButton-primary"]:active, [data-testid="stBaseButton-primaryFormSubmit"]:active {
  background: #1f6f5c !important; border-color: #1f6f5c !important; color: #fff !important; }
.stTextInput input { font-size: 1.5rem; min-height: 64px; }
[data-testid="stRadio"] label p { font-size: 1.3rem; }
[data-testid="stRadio"] div[role="radiogroup"] label { padding: 0.7rem 0.9rem; border: 1px solid #d6dbe0;
  border-radius: 14px; margin: 0.2rem 0.3rem 0.2rem 0; min-height: 60px; }
[data-testid="stRadio"] div[role="radiogroup"] label:has(input:checked) { background: #e3f1ec;
  border-color: #1f6f5c; }
[data-testid="stChatInput"] textarea { font-size: 1.3rem; }
.sk-frame { background: #fff7e6; border-left: 10px solid #f3a712; padding: 1rem 1.2rem; border-radius: 12px;
  font-size: 1.3rem; font-weight: 700; margin: 0.6rem 0 1rem 0; }
.sk-down { background: #fdecea; border-left: 10px solid #a8201a; padding: 1.4rem; border-radius: 12px; }
.sk-code { font-size: 3.2rem; font-weight: 800; letter-spacing: 0.3rem; text-align: center;
  background: #eef6f3; border-radius: 16px; padding: 1rem; }
.sk-count { font-size: 1.4rem; }
</style>
"""

CONSOLE_CSS = """
<style>
[data-testid="stAppDeployButton"] { display: none !important; }
.block-container { max-width: 1300px; padding-top: 1.5rem; }
.sk-flag { color: #a8201a; font-weight: 700; }
</style>
"""
