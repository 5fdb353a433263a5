"""One text pipeline for a paper's title and abstract: read once (scanner.py, tex_text.py,
document.py), written as HTML with MathML (to_html.py), Unicode plain text (to_plain.py) and
e-mail HTML (to_mail.py). Math is MathML from latex2mathml (tex_math.py), read back as text
by mathml_text.py, so every channel shows the same words and the same formula.
"""
