"""The paper a clinic prints its documents on."""

PAPER_SIZES = ("A4", "Letter")
"""The sizes a clinic may choose (the setting `paper_size`, and `sclerochart setup --paper`)."""
