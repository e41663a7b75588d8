"""Text handling shared by every check: normalisation, segmentation, tokens, page furniture."""
