"""The finished document: stitching, numbering and cross-references, manifest, sign-off, diff,
and the workbook, Word and PDF versions."""
